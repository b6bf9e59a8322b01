package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A title or a name holding a control character (a tab, a line end, an escape, DEL, C1) is a bad
 * source line, as one holding NUL: reported with its line, counted, skipped, and never asked
 * of the site; with {@code --strict}, exit 2. White space at the ends of a line is trimmed.
 */
@Timeout(120)
class ControlCharactersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private JsonNode report() throws IOException {
    return JSON.readTree(dir.resolve("report.json").toFile());
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private Cli.Result scrape(FakeSite site, Path source, String... more) {
    List<String> args = new ArrayList<>(List.of("scrape", "--source", source.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(),
        "--report", dir.resolve("report.json").toString(), "--origin", site.origin(),
        "--qps", "1000", "--concurrency", "2", "--progress", "none", "--drift-min-pages", "2"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aScrapeSkipsAndReportsUrlsWhoseTitleHoldsAControlCharacterAndRequestsNone()
      throws IOException {
    Path src = write("urls.txt", "https://dic.pixiv.net/a/ok\t\r\n"
        + "https://dic.pixiv.net/a/tab%09inside\n"
        + "https://dic.pixiv.net/a/[escape]\u001b[2J\n"
        + "https://dic.pixiv.net/a/c1%C2%9B\n"
        + "https://dic.pixiv.net/a/nul%00\n"
        + "https://dic.pixiv.net/a/fine\n");
    try (FakeSite site = new FakeSite()) {
      Cli.Result r = scrape(site, src);

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(site.perPath.keySet()).containsExactlyInAnyOrder("/a/ok", "/a/fine");
      assertThat(report().at("/source/bad_lines").asLong()).isEqualTo(4);
      assertThat(report().at("/source/problems/0").asText())
          .contains("urls.txt:2", "control character U+0009");
      assertThat(report().at("/source/problems/1").asText()).contains("U+001B");
      assertThat(report().at("/source/problems/3").asText()).contains("must not contain NUL");
      assertThat(r.err()).contains("4 bad lines skipped").doesNotContain("\u001b");
    }
  }

  @Test
  void withStrictTheFirstSuchUrlEndsTheRunWithExit2NamingItsLine() throws IOException {
    Path src = write("urls.txt", "https://dic.pixiv.net/a/ok\nhttps://dic.pixiv.net/a/del\u007f\n");
    try (FakeSite site = new FakeSite()) {
      Cli.Result r = scrape(site, src, "--strict");

      assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("urls.txt:2", "control character U+007F");
    }
  }

  @Test
  void aResolveSkipsAndReportsNamesHoldingAControlCharacterAndSearchesNone() throws IOException {
    Path names = write("names.txt", "初音ミク\t\r\n初音\tミク\nNARUTO\u0085\nNARUTO\n");
    try (SearchSite site = new SearchSite()) {
      Cli.Result r = Cli.run("resolve", "--names", names.toString(),
          "--sink", dir.resolve("resolved.ndjson").toString(),
          "--report", dir.resolve("report.json").toString(), "--origin", site.origin(),
          "--qps", "1000", "--concurrency", "2", "--progress", "none",
          "--drift-min-pages", "2");

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(site.searches).noneMatch(s -> s.contains("\t") || s.contains("\u0085"))
          .anyMatch(s -> s.startsWith("初音ミク#")).anyMatch(s -> s.startsWith("NARUTO#"));
      assertThat(report().at("/source/bad_lines").asLong()).isEqualTo(2);
      assertThat(report().at("/source/problems/0").asText())
          .contains("names.txt:2", "control character U+0009");
      assertThat(report().at("/source/problems/1").asText())
          .contains("names.txt:3", "control character U+0085");
    }
  }

  /**
   * JSON can spell half a character ({@code \ud83d}); it has no UTF-8 form, and the request
   * named {@code ?} instead: another article, or a search for another name.
   */
  @Test
  void aTitleOrNameHoldingHalfACharacterIsABadLineAndNeverAsked() throws IOException {
    Path src = write("urls.ndjson", "{\"url\":\"https://dic.pixiv.net/a/x\\ud83d\"}\n"
        + "{\"url\":\"https://dic.pixiv.net/a/\\ud83d\\ude00\"}\n");
    Path names = write("names.ndjson", "{\"middle_class_ip_name\":\"\\udc00初音ミク\"}\n"
        + "{\"middle_class_ip_name\":\"初音ミク\"}\n");
    try (FakeSite site = new FakeSite(); SearchSite search = new SearchSite()) {
      Cli.Result r = scrape(site, src);
      String scraped = report().at("/source/problems/0").asText();
      Cli.Result resolved = Cli.run("resolve", "--names", names.toString(),
          "--sink", dir.resolve("resolved.ndjson").toString(),
          "--report", dir.resolve("report.json").toString(), "--origin", search.origin(),
          "--qps", "1000", "--progress", "none", "--drift-min-pages", "2");

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(site.perPath.keySet()).containsExactly("/a/%F0%9F%98%80");
      assertThat(scraped).contains("urls.ndjson:1", "unpaired surrogate U+D83D");
      assertThat(resolved.code()).as(resolved.err()).isZero();
      assertThat(search.searches).hasSize(1).allMatch(s -> s.startsWith("初音ミク#"));
      assertThat(report().at("/source/problems/0").asText())
          .contains("names.ndjson:1", "unpaired surrogate U+DC00 at index 0");
    }
  }
}
