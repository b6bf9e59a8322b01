package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.file.internal.Chattr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink file made append-only ({@code chattr +a}) with a torn tail stopped the run with the
 * system's words alone, "Operation not permitted". Needs chattr and a file system that keeps the
 * attribute (ext4 as root); skipped elsewhere.
 */
class AppendOnlySinkTest {

  @TempDir Path dir;

  @Test
  void anAppendOnlySinkWithATornTailSaysWhatTheSinkTriedAndWhatToDo() throws Exception {
    Path src = Files.write(dir.resolve("urls.txt"), List.of(ArticleUrl.ofTitle("x").canonical()));
    Path sink = dir.resolve("rows.ndjson");
    assertThat(Cli.run("scrape", "--source", src.toString(), "--sink", sink.toString(),
        "--dry-run").code()).isZero();
    Files.writeString(sink, "{\"url\":\"https://dic.pixiv.net/a/x\",\"loaded_at\":\"2026-01-01T"
        + "00:00:00Z\",\"status\":\"ARTICLE\",\"run_id\":\"r\",\"scraper_version\":\"v\"}\n"
        + "{\"url\":\"https://dic", StandardOpenOption.CREATE);
    assumeTrue(Chattr.run("+a", sink), "chattr +a is not available here");
    try {
      Cli.Result r = Cli.run("scrape", "--source", src.toString(), "--sink", sink.toString(),
          "--origin", "http://127.0.0.1:9", "--progress", "none");

      assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains(sink + ": cannot be opened for writing: Operation not"
          + " permitted", "append-only (chattr +a)", "Its last line is torn (19 bytes left by"
          + " an interrupted write)", "chattr -a " + sink);
      assertThat(dir.resolve("rows.ndjson.lock")).doesNotExist();
    } finally {
      Chattr.run("-a", sink);
    }
  }
}
