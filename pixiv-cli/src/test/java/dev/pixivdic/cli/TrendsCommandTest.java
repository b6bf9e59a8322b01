package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.internal.RowJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrendsCommandTest {

  static final String RISING = "上昇";
  static final String STEADY = "定番";

  @TempDir Path dir;
  Path history;

  /** Weeks 45, 46 and 48 of the rising article (47 missing); 45 and 46 of the steady one. */
  @BeforeEach
  void writeHistory() throws IOException {
    history = dir.resolve("pixiv_detail_info.ndjson");
    List<String> lines = new ArrayList<>();
    lines.add(RowJson.write(row(RISING, "2026-11-02T01:00:00Z", 100L, 10L)));
    lines.add(RowJson.write(row(STEADY, "2026-11-02T02:00:00Z", 10L, 1L)));
    lines.add(RowJson.write(row(RISING, "2026-11-08T16:30:00Z", 140L, 11L))); // Monday in Tokyo
    lines.add(RowJson.write(row(RISING, "2026-11-09T03:00:00Z", 150L, 12L)));
    lines.add(RowJson.write(ArticleRow.builder(ArticleUrl.ofTitle(STEADY)).title(STEADY)
        .viewCount(25L).worksCount(5L).checklistCount(1L)
        .loadedAt(Instant.parse("2026-11-09T02:00:00Z")).build()));
    lines.add(RowJson.write(ArticleRow.builder(ArticleUrl.ofTitle("消えた"))
        .status(Outcome.NOT_FOUND).loadedAt(Instant.parse("2026-11-09T02:00:00Z")).build()));
    lines.add(RowJson.write(row(RISING, "2026-11-23T03:00:00Z", 300L, 20L)));
    Files.write(history, lines, StandardCharsets.UTF_8);
  }

  static ArticleRow row(String title, String loadedAt, long views, long checklists) {
    return ArticleRow.builder(ArticleUrl.ofTitle(title)).title(title).viewCount(views)
        .worksCount(5L).commentCount(3L).checklistCount(checklists)
        .loadedAt(Instant.parse(loadedAt)).build();
  }

  @Test
  void csvHasTheViewsColumnsAndAnEmptyChangeAfterAMissingWeek() throws IOException {
    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv");

    assertThat(r.code()).as(r.err()).isZero();
    List<Map<String, String>> rows = csv(r.out());
    assertThat(rows.get(0).keySet()).containsExactlyElementsOf(TrendsCommand.csvColumns());
    List<Map<String, String>> rising = rows.stream()
        .filter(m -> m.get("title").equals(RISING)).toList();
    assertThat(rising).extracting(m -> m.get("iso_week")).containsExactly("45", "46", "48");
    assertThat(rising).extracting(m -> m.get("week"))
        .containsExactly("2026-11-02", "2026-11-09", "2026-11-23");
    assertThat(rising).extracting(m -> m.get("view_count")).containsExactly("100", "150", "300");
    assertThat(rising).extracting(m -> m.get("view_count_change")).containsExactly("", "50", "");
    assertThat(rising).extracting(m -> m.get("checklist_count_change"))
        .containsExactly("", "2", "");
  }

  @Test
  void aMissingCountHasNoChangeAndArticlesThatDoNotExistAreNotWeeks() throws IOException {
    List<Map<String, String>> rows =
        csv(Cli.run("trends", history.toString(), "--format=csv").out());

    List<Map<String, String>> steady = rows.stream()
        .filter(m -> m.get("title").equals(STEADY)).toList();
    assertThat(steady).extracting(m -> m.get("view_count_change")).containsExactly("", "15");
    assertThat(steady).extracting(m -> m.get("comment_count")).containsExactly("3", "");
    assertThat(steady).extracting(m -> m.get("comment_count_change")).containsExactly("", "");
    assertThat(rows).extracting(m -> m.get("url"))
        .doesNotContain(ArticleUrl.ofTitle("消えた").canonical());
    assertThat(rows).hasSize(5);
  }

  @Test
  void theTerminalTableShowsWeeksChangesAndTitles() {
    Cli.Result r = Cli.run("trends", history.toString(), "--url",
        "https://dic.pixiv.net/a/" + RISING);

    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.lines();
    assertThat(lines.get(0)).startsWith("week").contains("views", "checklists").endsWith("title");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).startsWith("2026-W45").contains("100").endsWith(RISING);
    assertThat(lines.get(2)).startsWith("2026-W46").contains("150", "+50", "+2");
    assertThat(lines.get(3)).startsWith("2026-W48").contains("300").doesNotContain("+");
    assertThat(r.err()).contains("7 rows read, 3 weeks of 1 articles");
  }

  @Test
  void aDamagedLineIsNamedAndSkippedAndTheRestCounts() throws IOException {
    Files.writeString(history, "{\"url\": \"https://dic.pixiv.net/a/x\", \"view_co",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv");

    assertThat(r.code()).isZero();
    assertThat(r.err()).contains(history + ":8: skipped, not a row", "1 line skipped");
    assertThat(csv(r.out())).hasSize(5);
  }

  /**
   * A line that is not JSON was said in Jackson's words: its location text ("[Source: REDACTED
   * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 7]") and the
   * codes of characters. Now the column and the reason, in a few plain words.
   */
  @Test
  void aLineThatIsNotJsonIsSaidWithItsColumnInPlainWords() throws IOException {
    Files.writeString(history, "{\"url\": }\n{\"url\": \"https://dic.pixiv.net/a/x\"\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv");

    assertThat(r.code()).isZero();
    assertThat(r.err()).contains(history + ":8: skipped, not a row: not valid JSON at column 9:"
        + " unexpected character '}': expected a value", history + ":9: skipped, not a row: not"
        + " valid JSON at column 36: the text ends before the object opened at column 1 is"
        + " closed");
    assertThat(r.err()).doesNotContain("Source", "REDACTED", "code 125", "StreamReadFeature");
  }

  /** /dev/zero was read for ever (one endless line); a directory was named by a Java class. */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aDeviceOrADirectoryIsAUsageErrorThatSaysWhatItIs() {
    Cli.Result device = Cli.run("trends", "/dev/zero");
    assertThat(device.code()).isEqualTo(2);
    assertThat(device.err()).contains("/dev/zero is a device, not a file", "--sink");

    Cli.Result directory = Cli.run("trends", dir.toString());
    assertThat(directory.code()).isEqualTo(2);
    assertThat(directory.err()).contains(dir + " is a directory").doesNotContain("java.");
  }

  @Test
  void aMissingFileOrABadUrlIsAUsageError() {
    Cli.Result missing = Cli.run("trends", dir.resolve("nope.ndjson").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file", "nope.ndjson");

    Cli.Result badUrl = Cli.run("trends", history.toString(), "--url", "https://example.com/a/x");
    assertThat(badUrl.code()).isEqualTo(2);
    assertThat(badUrl.err()).contains("--url is not an article URL");
  }

  @Test
  void aNegativeCountIsNamedAndSkippedRatherThanOverflowingTheChange() throws IOException {
    append("{\"url\":\"https://dic.pixiv.net/a/C\",\"title\":\"C\",\"view_count\":-1,"
        + "\"loaded_at\":\"2026-11-02T01:00:00Z\"}\n"
        + "{\"url\":\"https://dic.pixiv.net/a/C\",\"title\":\"C\","
        + "\"view_count\":9223372036854775807,\"loaded_at\":\"2026-11-09T01:00:00Z\"}\n");

    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains(history + ":8: skipped", "'view_count' must not be negative",
        "1 line skipped");
    assertThat(r.out()).doesNotContain("-9223372036854775808");
    assertThat(csv(r.out())).hasSize(6);
  }

  @Test
  void aLoadedAtBeyondTheCalendarIsNamedAndSkippedLikeABadDate() throws IOException {
    append("{\"url\":\"https://dic.pixiv.net/a/C\",\"title\":\"C\",\"view_count\":1,"
        + "\"loaded_at\":\"+999999999-12-31T23:59:59Z\"}\n"
        + "{\"url\":\"https://dic.pixiv.net/a/C\",\"title\":\"C\",\"view_count\":1,"
        + "\"loaded_at\":\"-1000000000-01-01T00:00:00Z\"}\n");

    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains(history + ":8: skipped", history + ":9: skipped",
        "'loaded_at'", "+999999999-12-31T23:59:59Z", "2 lines skipped");
    assertThat(csv(r.out())).hasSize(5);
  }

  @Test
  void aLineThatIsNotUtf8IsNamedAndSkippedAndTheRowsAfterItCount() throws IOException {
    byte[] bad = ("{\"url\":\"https://dic.pixiv.net/a/Z\",\"title\":\"\u00ff\","
        + "\"loaded_at\":\"2026-11-02T01:00:00Z\"}\n").getBytes(StandardCharsets.ISO_8859_1);
    Files.write(history, bad, java.nio.file.StandardOpenOption.APPEND);
    append(RowJson.write(row("後から", "2026-11-02T01:00:00Z", 1L, 1L)) + "\n");

    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains(history + ":8: skipped, not a row: not UTF-8", "1 line skipped",
        "8 rows read");
    assertThat(csv(r.out())).extracting(m -> m.get("title")).contains("後から").hasSize(6);
  }

  /** A line of hundreds of megabytes was held whole: out of memory, exit 1, no table. */
  @Test
  void aLineOverTheLimitIsSkippedUnheldAndTheRowsAfterItCount() throws IOException {
    byte[] huge = new byte[Utf8Lines.MAX_LINE + 2];
    java.util.Arrays.fill(huge, (byte) 'x');
    huge[huge.length - 1] = '\n';
    Files.write(history, huge, java.nio.file.StandardOpenOption.APPEND);
    append(RowJson.write(row("後から", "2026-11-02T01:00:00Z", 1L, 1L)) + "\n");

    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains(history + ":8: skipped, not a row: the line is 16777217 bytes"
        + " long, over the limit of 16777216", "1 line skipped");
    assertThat(csv(r.out())).extracting(m -> m.get("title")).contains("後から").hasSize(6);
  }

  @Test
  void theTableShowsControlAndBidiCharactersOfATitleAsEscapesSoARowIsOneLine() {
    append(RowJson.write(evil()) + "\n");

    Cli.Result r = Cli.run("trends", history.toString(), "--url", evil().url());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(2);
    assertThat(r.lines().get(1))
        .endsWith("evil\\u001b[31mRED\\u001b[0m\\nline2\\u202eRTL\\u0000\\t\\u2066x\\u0085\\r");
    assertThat(r.out())
        .doesNotContain("\u001b", "\u202e", "\u0000", "\t", "\u2066", "\u0085", "\r");
  }

  @Test
  void theCsvKeepsATitleAsItIsInAValidRow() throws IOException {
    append(RowJson.write(evil()) + "\n");

    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv", "--url",
        evil().url());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(csv(r.out())).extracting(m -> m.get("title")).containsExactly(EVIL);
  }

  @Test
  void aWarningShowsControlCharactersOfTheLineAsEscapes() {
    append("{\"url\":\"https://dic.pixiv.net/a/x\",\"loaded_at\":\"\\u001b[2J\\u202e\"}\n");

    Cli.Result r = Cli.run("trends", history.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains(history + ":8: skipped", "\\u001b[2J\\u202e")
        .doesNotContain("\u001b", "\u202e");
  }

  @Test
  void aFileWithLinesButNotOneRowIsAUsageErrorThatSaysSo() throws IOException {
    Path page = dir.resolve("page.html");
    Files.writeString(page, "<!DOCTYPE html>\n<html>\n\n</html>\n", StandardCharsets.UTF_8);

    Cli.Result r = Cli.run("trends", page.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(page + ":1: skipped, not a row",
        "no line of " + page + " is a row of pixiv scrape");
  }

  @Test
  void anEmptyFileIsAnEmptyTable() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.ndjson"));

    Cli.Result r = Cli.run("trends", empty.toString(), "--format", "csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("0 rows read");
  }

  @Test
  void anArticleRowWithoutATimeIsNamedAndSkippedButStillMakesTheFileAHistory()
      throws IOException {
    append("{\"url\":\"https://dic.pixiv.net/a/D\",\"title\":\"D\",\"view_count\":1}\n");
    Path timeless = dir.resolve("timeless.ndjson");
    Files.writeString(timeless, "{\"url\":\"https://dic.pixiv.net/a/D\",\"title\":\"D\"}\n",
        StandardCharsets.UTF_8);

    Cli.Result r = Cli.run("trends", history.toString(), "--format", "csv");
    Cli.Result only = Cli.run("trends", timeless.toString(), "--format", "csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains(history + ":8: skipped", "no 'loaded_at'", "1 line skipped");
    assertThat(csv(r.out())).hasSize(5);
    assertThat(only.code()).as(only.err()).isZero();
    assertThat(only.err()).contains(timeless + ":1: skipped", "1 line skipped");
  }

  /** A title as a hostile page could give it: terminal escapes, a newline, bidi overrides. */
  static final String EVIL = "evil\u001b[31mRED\u001b[0m\nline2\u202eRTL\u0000\t\u2066x\u0085\r";

  static ArticleRow evil() {
    return ArticleRow.builder(ArticleUrl.ofTitle("悪意")).title(EVIL).viewCount(1L)
        .loadedAt(Instant.parse("2026-11-02T01:00:00Z")).build();
  }

  private void append(String text) {
    try {
      Files.writeString(history, text, StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Map<String, String>> csv(String text) throws IOException {
    CsvMapper mapper = new CsvMapper();
    try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
      return it.readAll();
    }
  }
}
