package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.internal.RowJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with SIGKILL and run again stores every item exactly once. */
class CrashRecoveryIT {

  private static final int ITEMS = 2000;

  @TempDir Path tmp;

  private Process start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), AppendRun.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  @Test
  void aRunKilledMidWayAndRunAgainEndsWithEveryRowOnce() throws Exception {
    Path list = tmp.resolve("urls.txt");
    Files.write(list, IntStream.range(0, ITEMS)
        .mapToObj(i -> "https://dic.pixiv.net/a/item" + i).toList());
    Path out = tmp.resolve("out/rows.ndjson");

    Process first = start(list.toString(), out.toString(), "500");
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.equals("wrote 500"));
      assertThat(line).as("the first run reports its progress").isEqualTo("wrote 500");
      first.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
    }
    assertThat(first.waitFor(1, TimeUnit.MINUTES)).isTrue();
    long rowsAfterKill = Files.readAllLines(out).size();
    assertThat(rowsAfterKill).isEqualTo(500);

    // As if the kill had also cut an append short.
    String torn = RowJson.write(ArticleRow.builder(ArticleUrl.ofTitle("item1999"))
        .build());
    Files.writeString(out, torn.substring(0, torn.length() / 2), StandardOpenOption.APPEND);

    Process second = start(list.toString(), out.toString());
    String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(second.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(second.exitValue()).as(output).isZero();

    List<ArticleRow> rows = Files.readAllLines(out).stream().map(RowJson::read).toList();
    assertThat(rows).extracting(ArticleRow::url).doesNotHaveDuplicates().hasSize(ITEMS);
  }
}
