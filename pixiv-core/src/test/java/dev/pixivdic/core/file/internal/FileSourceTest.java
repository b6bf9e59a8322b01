package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.WorkItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {

  @TempDir Path tmp;

  private final List<SourceProblem> problems = new ArrayList<>();

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(FileSourceTest.class.getResource(name).toURI());
  }

  private static List<WorkItem> read(FileSource source) throws IOException {
    return read(source, Shard.ALL);
  }

  private static List<WorkItem> read(FileSource source, Shard shard) throws IOException {
    try (Stream<WorkItem> items = source.items(shard)) {
      return items.toList();
    }
  }

  private static List<String> urls(List<WorkItem> items) {
    return items.stream().map(WorkItem::key).toList();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(tmp.resolve(name), content);
  }

  @Test
  void urlListSkipsCommentsAndBlankLinesAndCanonicalisesEachUrl() throws Exception {
    FileSource source = FileSource.builder(fixture("urls.txt")).problems(problems::add).build();

    assertThat(source.format()).isEqualTo(FileSource.Format.URL_LIST);
    assertThat(urls(read(source))).containsExactly(
        "https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF",
        "https://dic.pixiv.net/a/pixiv",
        "https://dic.pixiv.net/a/%E6%9D%B1%E6%96%B9Project");
  }

  /** Each line of a key file given as the source was quoted in a warning. */
  @Test
  void aKeyFileGivenAsTheSourceIsNotQuotedLineByLine() throws Exception {
    Path key = write("key.pem", "-----BEGIN PRIVATE KEY-----\n"
        + "MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBALcaox883DJVVP1N\n"
        + "6EaaE+IlkhpMDChCe5/QMOM7bP+BAgMBAAECgYBTqo5C5dJQBYHSRKnkdyyX7D3e\n"
        + "-----END PRIVATE KEY-----\n");
    FileSource source = FileSource.builder(key).problems(problems::add).build();

    assertThatThrownBy(() -> read(source)).cause().isInstanceOf(BadSourceLineException.class)
        .hasMessageContaining("not one of its records could be read (4 bad lines")
        .hasMessageNotContaining("MIICdwIBADANBgkqhkiG9w0");

    assertThat(problems).hasSize(4).filteredOn(p -> p.line() == 2 || p.line() == 3)
        .allSatisfy(p -> assertThat(p.message())
            .contains("64 characters that look like key material, not shown")
            .doesNotContain("MIICdwIBADANBgkqhkiG9w0", "6EaaE+IlkhpMDChCe5"))
        .hasSize(2);
  }

  @Test
  void aUrlThatIsNotAnArticleIsReportedWithItsLineNumberAndSkipped() throws Exception {
    FileSource source = FileSource.builder(fixture("urls.txt")).problems(problems::add).build();

    read(source);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.source()).endsWith("urls.txt");
      assertThat(p.line()).isEqualTo(6);
      assertThat(p.message()).contains("not on dic.pixiv.net").contains("example.com");
    });
    assertThat(source.problemCount()).isEqualTo(1);
  }

  @Test
  void strictModeEndsTheStreamAtTheFirstBadLineNamingFileAndLine() throws Exception {
    FileSource source = FileSource.builder(fixture("urls.txt")).strict(true)
        .problems(problems::add).build();

    assertThatThrownBy(() -> read(source))
        .isInstanceOf(UncheckedIOException.class)
        .cause()
        .isInstanceOfSatisfying(BadSourceLineException.class, e -> {
          assertThat(e.line()).isEqualTo(6);
          assertThat(e.source()).endsWith("urls.txt");
          assertThat(e.getMessage()).contains("urls.txt:6: not on dic.pixiv.net");
        });
    assertThat(problems).isEmpty();
  }

  @Test
  void csvReadsQuotedFieldsWithCommasQuotesAndLineBreaksAndPassesColumnsThrough()
      throws Exception {
    FileSource source = FileSource.builder(fixture("articles.csv")).problems(problems::add).build();

    List<WorkItem> items = read(source);

    assertThat(source.format()).isEqualTo(FileSource.Format.CSV);
    assertThat(items).containsExactly(
        new WorkItem(ArticleUrl.parse("https://dic.pixiv.net/a/pixiv"),
            Map.of("middle_class_ip_name", "Games, \"classic\"")),
        new WorkItem(ArticleUrl.ofTitle("東方Project"),
            Map.of("middle_class_ip_name", "Touhou", "note", "two\nlines")),
        new WorkItem(ArticleUrl.parse("https://dic.pixiv.net/a/last"),
            Map.of("middle_class_ip_name", "Last", "note", "x")));
    assertThat(items.get(0).attributes()).doesNotContainKey("note");
  }

  @Test
  void csvReportsRowsWithTooManyCellsOrNoUrlByTheLineTheyStartOn() throws Exception {
    FileSource source = FileSource.builder(fixture("articles.csv")).problems(problems::add).build();

    read(source);

    assertThat(problems).extracting(SourceProblem::line, SourceProblem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple(5L, "expected 3 columns as in the header, found 4"),
        org.assertj.core.groups.Tuple.tuple(6L, "the 'url' cell is empty"));
  }

  @Test
  void csvSkipsARowWithBrokenQuotingAndReadsTheNextRows() throws Exception {
    Path csv = write("broken.csv",
        "url,name\n\"https://dic.pixiv.net/a/x\"junk,1\nhttps://dic.pixiv.net/a/y,2\n");
    FileSource source = FileSource.builder(csv).problems(problems::add).build();

    assertThat(urls(read(source))).containsExactly("https://dic.pixiv.net/a/y");
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(2);
      assertThat(p.message()).startsWith("malformed CSV");
    });
  }

  @Test
  void csvWithAnUnclosedQuoteFailsEvenWhenLenientBecauseTheRestIsSwallowed() throws Exception {
    Path csv = write("unclosed.csv",
        "url,name\nhttps://dic.pixiv.net/a/x,\"open\nhttps://dic.pixiv.net/a/y,2\n");
    FileSource source = FileSource.open(csv);

    assertThatThrownBy(() -> read(source)).cause()
        .isInstanceOfSatisfying(BadSourceLineException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.reason()).contains("closing quote");
        });
  }

  @Test
  void csvWithoutAUrlColumnFailsNamingTheColumnsFound() throws Exception {
    Path csv = write("nourl.csv", "link,name\nhttps://dic.pixiv.net/a/x,1\n");

    assertThatThrownBy(() -> read(FileSource.open(csv))).cause()
        .isInstanceOf(BadSourceLineException.class)
        .hasMessageContaining(
            "nourl.csv:1: the CSV header has no 'url' column; found [link, name]");
  }

  @Test
  void csvColumnsThatDifferOnlyInCaseAreAmbiguousUnlessOneIsNamedExactly() throws Exception {
    String row = "https://dic.pixiv.net/a/x,https://dic.pixiv.net/a/y\n";
    Path both = write("both.csv", "URL,Url\n" + row);
    assertThatThrownBy(() -> read(FileSource.open(both))).cause()
        .isInstanceOf(BadSourceLineException.class)
        .hasMessageContaining("both.csv:1: both 'URL' and 'Url' could be the 'url' column; "
            + "rename the one meant to 'url', or ask for the column 'URL' or 'Url' as written");

    Path exact = write("exact.csv", "URL,url\n" + row);
    assertThat(urls(read(FileSource.open(exact)))).containsExactly("https://dic.pixiv.net/a/y");

    Path one = write("one.csv", "name,URL\nx,https://dic.pixiv.net/a/x\n");
    assertThat(urls(read(FileSource.open(one)))).containsExactly("https://dic.pixiv.net/a/x");
  }

  @Test
  void aCsvHeaderNamingAColumnTwiceIsRefusedRatherThanLosingACellOfEveryRow() throws Exception {
    Path urls = write("urls.csv",
        "url,url\nhttps://dic.pixiv.net/a/c1,https://dic.pixiv.net/a/c2\n");
    Path cased = write("cased.csv", "url,,foo,Title,FOO\nhttps://dic.pixiv.net/a/x,,f1,t,f3\n");

    assertThatThrownBy(() -> read(FileSource.open(urls))).cause()
        .isInstanceOf(BadSourceLineException.class)
        .hasMessageContaining("urls.csv:1: the CSV header names the column 'url' twice"
            + " (columns 1 and 2)");
    assertThatThrownBy(() -> read(FileSource.open(cased))).cause()
        .isInstanceOf(BadSourceLineException.class)
        .hasMessageContaining("names the column 'foo' and 'FOO', which differ only in case,"
            + " twice (columns 3 and 5)");
    Path twoVariants = write("variants.csv", "url,URL,Url\nhttps://dic.pixiv.net/a/x,a,b\n");
    assertThatThrownBy(() -> read(FileSource.open(twoVariants))).cause()
        .hasMessageContaining("names the column 'URL' and 'Url', which differ only in case,"
            + " twice (columns 2 and 3)");
    Path empties = write("empties.csv", "url,,,name\nhttps://dic.pixiv.net/a/x,a,b,n\n");
    assertThat(urls(read(FileSource.open(empties)))).containsExactly("https://dic.pixiv.net/a/x");
  }

  @Test
  void csvWithOnlyAHeaderOrNothingYieldsNoItems() throws Exception {
    assertThat(read(FileSource.open(write("header.csv", "url,name\n")))).isEmpty();
    assertThat(read(FileSource.open(write("empty.csv", "")))).isEmpty();
  }

  @Test
  void ndjsonPassesScalarFieldsThroughAsTextAndLeavesOutNullsAndArrays() throws Exception {
    FileSource source = FileSource.builder(fixture("articles.ndjson")).problems(problems::add)
        .build();

    List<WorkItem> items = read(source);

    assertThat(source.format()).isEqualTo(FileSource.Format.NDJSON);
    assertThat(items).hasSize(2);
    assertThat(items.get(0).attributes()).containsExactly(
        Map.entry("middle_class_ip_name", "Games"), Map.entry("rank", "3"),
        Map.entry("flag", "true"));
    assertThat(items.get(1).key()).isEqualTo("https://dic.pixiv.net/a/%E6%9D%B1%E6%96%B9Project");
  }

  @Test
  void ndjsonReportsMalformedLinesMissingUrlsAndNonObjectsByLine() throws Exception {
    FileSource source = FileSource.builder(fixture("articles.ndjson")).problems(problems::add)
        .build();

    read(source);

    assertThat(problems).extracting(SourceProblem::line).containsExactly(3L, 4L, 5L, 6L);
    assertThat(problems).extracting(SourceProblem::message).satisfiesExactly(
        m -> assertThat(m).startsWith("malformed JSON"),
        m -> assertThat(m).isEqualTo("no 'url' field"),
        m -> assertThat(m).isEqualTo("'url' must be a string"),
        m -> assertThat(m).isEqualTo("not a JSON object"));
  }

  @Test
  void anExplicitNullUrlIsSkippedQuietlyAndCountedApart() throws Exception {
    Path f = tmp.resolve("resolved.ndjson");
    Files.writeString(f,
        "{\"url\":\"https://dic.pixiv.net/a/pixiv\",\"middle_class_ip_name\":\"pixiv\"}\n"
        + "{\"url\":null,\"middle_class_ip_name\":\"ぬるぽ\",\"status\":\"NO_MATCH\"}\n"
        + "{\"middle_class_ip_name\":\"no url key\"}\n"
        + "{\"url\":\"https://example.com/a/x\"}\n", StandardCharsets.UTF_8);
    FileSource source = FileSource.builder(f).problems(problems::add).build();

    assertThat(read(source)).extracting(WorkItem::key)
        .containsExactly("https://dic.pixiv.net/a/pixiv");
    assertThat(source.noUrlCount()).isEqualTo(1);
    assertThat(source.problemCount()).isEqualTo(2);
    assertThat(problems).extracting(SourceProblem::line).containsExactly(3L, 4L);
  }

  @Test
  void stdinIsReadOnceAndASecondReadFailsClearly() throws Exception {
    byte[] input = "https://dic.pixiv.net/a/pixiv\n".getBytes(StandardCharsets.UTF_8);
    FileSource source = FileSource.stdin(() -> new ByteArrayInputStream(input)).build();

    assertThat(source.name()).isEqualTo("stdin");
    assertThat(urls(read(source))).containsExactly("https://dic.pixiv.net/a/pixiv");
    assertThatThrownBy(() -> read(source))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stdin can be read only once");
  }

  @Test
  void stdinCanBeReadAsCsv() throws Exception {
    byte[] input = "url,x\nhttps://dic.pixiv.net/a/pixiv,1\n".getBytes(StandardCharsets.UTF_8);
    FileSource source = FileSource.stdin(() -> new ByteArrayInputStream(input))
        .format(FileSource.Format.CSV).build();

    assertThat(read(source)).singleElement()
        .satisfies(i -> assertThat(i.attributes()).containsEntry("x", "1"));
  }

  @Test
  void aFileIsReadAnewOnEveryCall() throws Exception {
    FileSource source = FileSource.open(fixture("urls.txt"));

    assertThat(read(source)).isEqualTo(read(source));
  }

  @Test
  void shardsPartitionTheItems() throws Exception {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      list.append("https://dic.pixiv.net/a/item").append(i).append('\n');
    }
    FileSource source = FileSource.open(write("many.list", list.toString()));

    Set<String> union = new HashSet<>();
    int total = 0;
    for (int i = 0; i < 4; i++) {
      Shard shard = new Shard(i, 4);
      List<String> keys = urls(read(source, shard));
      assertThat(keys).allMatch(shard::contains).isNotEmpty();
      union.addAll(keys);
      total += keys.size();
    }
    assertThat(total).isEqualTo(200);
    assertThat(union).hasSize(200);
  }

  /**
   * Titles with an invisible end or an empty segment were articles beside the visible one. The
   * composed and decomposed Unicode spellings of a title stay two URLs: the site may tell them
   * apart, and a guess would turn an article into "not found".
   */
  @Test
  void unicodeSpellingsOfATitleAreTwoItemsAndInvisibleVariantsAreBadLines() throws Exception {
    Path list = write("spellings.txt", "https://dic.pixiv.net/a/\u30ac\n"
        + "https://dic.pixiv.net/a/\u30ab\u3099\n"
        + "https://dic.pixiv.net/a/%E3%82%AB%E3%82%99/\n"
        + "https://dic.pixiv.net/a/abc\n"
        + "https://dic.pixiv.net/a/abc%20\nhttps://dic.pixiv.net/a/abc%C2%A0\n"
        + "https://dic.pixiv.net/a/abc%E2%80%8B\nhttps://dic.pixiv.net/a/abc%EF%BB%BF\n"
        + "https://dic.pixiv.net/a//abc\nhttps://dic.pixiv.net/a/abc//\n");
    FileSource source = FileSource.builder(list).problems(problems::add).build();

    List<WorkItem> items = read(source);

    assertThat(items).extracting(WorkItem::key).containsExactly(
        "https://dic.pixiv.net/a/%E3%82%AC", "https://dic.pixiv.net/a/%E3%82%AB%E3%82%99",
        "https://dic.pixiv.net/a/abc");
    assertThat(source.duplicateCount()).isEqualTo(1);
    assertThat(source.problemCount()).isEqualTo(6);
    assertThat(problems).extracting(p -> p.line()).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  void aUrlRepeatedInAnySpellingIsYieldedOnceWithItsFirstAttributes() throws Exception {
    Path csv = write("dupes.csv", "url,n\nhttps://dic.pixiv.net/a/pixiv,1\n"
        + "http://dic.pixiv.net/a/pixiv/,2\nhttps://dic.pixiv.net/a/other,3\n");
    FileSource source = FileSource.open(csv);

    List<WorkItem> items = read(source);

    assertThat(items).extracting(i -> i.attributes().get("n")).containsExactly("1", "3");
    assertThat(source.duplicateCount()).isEqualTo(1);
  }

  @Test
  void deduplicationCanBeTurnedOff() throws Exception {
    Path list =
        write("dupes.txt", "https://dic.pixiv.net/a/pixiv\nhttps://dic.pixiv.net/a/pixiv\n");

    assertThat(read(FileSource.builder(list).deduplicate(false).build())).hasSize(2);
  }

  @Test
  void formatFollowsTheFileNameAndCanBeForced() throws Exception {
    assertThat(FileSource.Format.ofFileName("a.CSV")).isEqualTo(FileSource.Format.CSV);
    assertThat(FileSource.Format.ofFileName("a.jsonl")).isEqualTo(FileSource.Format.NDJSON);
    assertThat(FileSource.Format.ofFileName("a.ndjson.gz")).isEqualTo(FileSource.Format.NDJSON);
    assertThat(FileSource.Format.ofFileName("a.list")).isEqualTo(FileSource.Format.URL_LIST);
    assertThat(FileSource.Format.ofFileName("urls")).isEqualTo(FileSource.Format.URL_LIST);

    Path csvNamedTxt = write("table.txt", "url,n\nhttps://dic.pixiv.net/a/pixiv,1\n");
    assertThat(read(FileSource.builder(csvNamedTxt).format(FileSource.Format.CSV).build()))
        .singleElement().satisfies(i -> assertThat(i.attributes()).containsEntry("n", "1"));
  }

  @Test
  void aGzipCompressedFileIsReadThroughByItsName() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("url\nhttps://dic.pixiv.net/a/pixiv\n".getBytes(StandardCharsets.UTF_8));
    }
    Path file = Files.write(tmp.resolve("urls.csv.gz"), bytes.toByteArray());

    assertThat(urls(read(FileSource.open(file)))).containsExactly("https://dic.pixiv.net/a/pixiv");
  }

  @Test
  void aFileNamedGzThatIsNotGzipFailsNamingIt() throws Exception {
    Path file = write("urls.txt.gz", "https://dic.pixiv.net/a/pixiv\n");

    assertThatThrownBy(() -> FileSource.open(file).items(Shard.ALL))
        .isInstanceOf(CorruptSourceException.class)
        .hasMessageContaining(file + " is not gzip-compressed");
  }

  @Test
  void aTruncatedGzipFileFailsWhileReadingNamingIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 5000; i++) {
        gz.write(("https://dic.pixiv.net/a/item" + i + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] whole = bytes.toByteArray();
    Path file = Files.write(tmp.resolve("cut.txt.gz"),
        java.util.Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> read(FileSource.open(file)))
        .isInstanceOf(UncheckedIOException.class)
        .cause().isInstanceOf(CorruptSourceException.class)
        .hasMessageContaining(file + " is truncated: its gzip data ends too soon");
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private Path concat(String name, byte[]... parts) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.write(part);
    }
    return Files.write(tmp.resolve(name), all.toByteArray());
  }

  /**
   * What reading the whole file fails with: met in the first buffer, the damage fails the call to
   * {@code items}; later, the stream's consumer, wrapped.
   */
  private static Throwable corruption(Path file) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> read(FileSource.open(file)));
    return thrown instanceof UncheckedIOException wrapped ? wrapped.getCause() : thrown;
  }

  @Test
  void everyMemberOfAConcatenatedGzipFileIsRead() throws Exception {
    // `cat a.txt.gz b.txt.gz > both.txt.gz` is a valid gzip file of both lists.
    Path file = concat("both.txt.gz", gzip("https://dic.pixiv.net/a/one\n"),
        gzip("https://dic.pixiv.net/a/two\n"));

    assertThat(urls(read(FileSource.open(file))))
        .containsExactly("https://dic.pixiv.net/a/one", "https://dic.pixiv.net/a/two");
  }

  @Test
  void aSecondGzipMemberCutShortFailsInsteadOfEndingTheSourceEarly() throws Exception {
    byte[] second = gzip("https://dic.pixiv.net/a/two\n");
    for (int cut : new int[] {1, 5, 12, second.length - 4}) {
      Path file = concat("cut" + cut + ".txt.gz", gzip("https://dic.pixiv.net/a/one\n"),
          java.util.Arrays.copyOf(second, cut));

      assertThat(corruption(file)).as("cut at %d", cut)
          .isInstanceOf(CorruptSourceException.class).hasMessageStartingWith(file + " is ");
    }
  }

  @Test
  void bytesAfterTheGzipDataFailNamingTheFile() throws Exception {
    Path file = concat("tail.txt.gz", gzip("https://dic.pixiv.net/a/one\n"),
        "https://dic.pixiv.net/a/two\n".getBytes(StandardCharsets.UTF_8));

    assertThat(corruption(file)).isInstanceOf(CorruptSourceException.class)
        .hasMessageContaining(file + " is damaged: its gzip data is invalid");
  }

  @Test
  void anEmptyOrHeaderOnlyGzipFileFailsSayingWhich() throws Exception {
    Path empty = Files.write(tmp.resolve("empty.txt.gz"), new byte[0]);
    Path header = Files.write(tmp.resolve("header.txt.gz"),
        java.util.Arrays.copyOf(gzip("https://dic.pixiv.net/a/one\n"), 5));

    assertThatThrownBy(() -> FileSource.open(empty).items(Shard.ALL))
        .isInstanceOf(CorruptSourceException.class)
        .hasMessageContaining(empty + " is empty");
    assertThatThrownBy(() -> FileSource.open(header).items(Shard.ALL))
        .isInstanceOf(CorruptSourceException.class)
        .hasMessageContaining(header + " is truncated: it ends within the gzip header");
  }

  @Test
  void aByteOrderMarkIsIgnored() throws Exception {
    Path csv = write("bom.csv", "\uFEFFurl,n\nhttps://dic.pixiv.net/a/pixiv,1\n");

    assertThat(read(FileSource.open(csv))).hasSize(1);
  }

  @Test
  void aLineWithBytesThatAreNotUtf8IsABadLine() throws Exception {
    byte[] latin1 = "#\nhttps://dic.pixiv.net/a/caf\u00e9\nhttps://dic.pixiv.net/a/ok\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    Path list = Files.write(tmp.resolve("latin1.txt"), latin1);
    Path csv = Files.write(tmp.resolve("latin1.csv"),
        ("url\n" + new String(latin1, StandardCharsets.ISO_8859_1).substring(2))
            .getBytes(StandardCharsets.ISO_8859_1));

    FileSource lenient = FileSource.builder(list).problems(problems::add).build();
    assertThat(urls(read(lenient))).containsExactly("https://dic.pixiv.net/a/ok");
    assertThat(urls(read(FileSource.builder(csv).problems(problems::add).build())))
        .containsExactly("https://dic.pixiv.net/a/ok");
    assertThat(problems).extracting(SourceProblem::toString).containsExactly(
        list + ":2: not UTF-8 text", csv + ":2: not UTF-8 text");
    assertThatThrownBy(() -> read(FileSource.builder(list).strict(true).build())).cause()
        .isInstanceOfSatisfying(BadSourceLineException.class,
            e -> assertThat(e.getMessage()).contains("latin1.txt:2: not UTF-8 text"));
  }

  /** A spreadsheet's "Unicode text" is UTF-16: read as UTF-8, every line was a bad line. */
  @Test
  void utf16TextIsReadWithOrWithoutAByteOrderMark() throws Exception {
    String text = "https://dic.pixiv.net/a/初音ミク\nhttps://dic.pixiv.net/a/pixiv\n";
    List<byte[]> encodings = List.of(
        ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE),
        ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16BE),
        text.getBytes(StandardCharsets.UTF_16LE),
        text.getBytes(StandardCharsets.UTF_16BE));
    for (byte[] bytes : encodings) {
      Path list = Files.write(tmp.resolve("utf16.txt"), bytes);

      assertThat(urls(read(FileSource.builder(list).problems(problems::add).build())))
          .containsExactly("https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF",
              "https://dic.pixiv.net/a/pixiv");
    }
    Path csv = Files.write(tmp.resolve("utf16.csv"),
        "\uFEFFurl,n\nhttps://dic.pixiv.net/a/pixiv,1\n".getBytes(StandardCharsets.UTF_16LE));
    assertThat(read(FileSource.open(csv))).singleElement()
        .satisfies(i -> assertThat(i.attributes()).containsEntry("n", "1"));
    assertThat(problems).isEmpty();
  }

  /** A UTF-32 file was read as UTF-16 (its mark begins with UTF-16's), or as UTF-8 and NULs. */
  @Test
  void utf32TextIsReadWithOrWithoutAByteOrderMark() throws Exception {
    String text = "https://dic.pixiv.net/a/初音ミク\nhttps://dic.pixiv.net/a/pixiv\n";
    for (String charset : List.of("UTF-32LE", "UTF-32BE")) {
      for (String mark : List.of("\uFEFF", "")) {
        Path list = Files.write(tmp.resolve("utf32.txt"),
            (mark + text).getBytes(java.nio.charset.Charset.forName(charset)));

        assertThat(urls(read(FileSource.builder(list).problems(problems::add).build())))
            .as("%s%s", charset, mark.isEmpty() ? "" : " with a byte order mark")
            .containsExactly("https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF",
                "https://dic.pixiv.net/a/pixiv");
      }
    }
    assertThat(problems).isEmpty();
  }

  /** It was a success with no item: the wrong file, format or encoding read as "nothing to do". */
  @Test
  void aFileWithoutOneGoodRecordFailsAtItsEndNamingTheFirstBadLine() throws Exception {
    Path list = write("names.txt", "# names, not URLs\n初音ミク\nVOCALOID\n");
    FileSource source = FileSource.builder(list).problems(problems::add).build();

    assertThatThrownBy(() -> read(source)).cause()
        .isInstanceOfSatisfying(BadSourceLineException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.getMessage()).contains("names.txt:2: not one of its records could be read"
              + " (2 bad lines, this the first)");
        });
    assertThat(problems).hasSize(2);
    // One good line in any shard is enough: the others are bad lines, skipped as before.
    Path mixed = write("mixed.txt", "初音ミク\nhttps://dic.pixiv.net/a/pixiv\n");
    Shard other = new Shard(1 - Shard.indexOf("https://dic.pixiv.net/a/pixiv", 2), 2);
    assertThat(read(FileSource.builder(mixed).problems(problems::add).build(), other)).isEmpty();
  }

  @Test
  void aMissingFileFailsNamingIt() {
    Path missing = tmp.resolve("nope.txt");

    assertThatThrownBy(() -> FileSource.open(missing).items(Shard.ALL))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("nope.txt")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aDirectoryIsNotASource() {
    assertThatThrownBy(() -> FileSource.open(tmp).items(Shard.ALL))
        .isInstanceOf(IOException.class)
        .hasMessage(tmp + " is a directory, not a source file");
  }

  @Test
  void aDashMeansStandardInput() {
    assertThat(FileSource.builder("-").build().name()).isEqualTo("stdin");
    assertThat(FileSource.builder("x.csv").build().format()).isEqualTo(FileSource.Format.CSV);
  }

  @Test
  void aUrlWhoseTitleHoldsAControlCharacterIsABadLineInEveryFormat() throws Exception {
    Path list = write("urls.txt", "https://dic.pixiv.net/a/ok\t\r\n"
        + "https://dic.pixiv.net/a/tab%09inside\n"
        + "https://dic.pixiv.net/a/bell\u0007\n"
        + "https://dic.pixiv.net/a/c1%C2%85\n");
    Path ndjson = write("urls.ndjson", "{\"url\":\"https://dic.pixiv.net/a/ok\"}\n"
        + "{\"url\":\"https://dic.pixiv.net/a/line\\nbreak\"}\n");
    Path csv = write("urls.csv",
        "url\nhttps://dic.pixiv.net/a/ok\n\"https://dic.pixiv.net/a/del\u007f\"\n");

    for (Path f : List.of(list, ndjson, csv)) {
      problems.clear();
      FileSource source = FileSource.builder(f).problems(problems::add).build();

      assertThat(urls(read(source))).as(f.toString())
          .containsExactly("https://dic.pixiv.net/a/ok");
      assertThat(problems).as(f.toString()).isNotEmpty().allSatisfy(p ->
          assertThat(p.message()).contains("must not hold a control character U+"));
      assertThat(source.problemCount()).isEqualTo(problems.size());
    }
  }

  /** Passed through, half a character became '?' in the sink and the archive's index. */
  @Test
  void aPassThroughFieldHoldingHalfACharacterMakesItsLineBad() throws Exception {
    Path f = write("resolved.ndjson",
        "{\"url\":\"https://dic.pixiv.net/a/ok\",\"middle_class_ip_name\":\"😀\"}\n"
        + "{\"url\":\"https://dic.pixiv.net/a/x\",\"middle_class_ip_name\":\"a\\ud83d\"}\n"
        + "{\"url\":\"https://dic.pixiv.net/a/y\",\"\\udc00\":\"b\"}\n");
    FileSource source = FileSource.builder(f).problems(problems::add).build();

    assertThat(read(source)).extracting(WorkItem::key)
        .containsExactly("https://dic.pixiv.net/a/ok");
    assertThat(problems).extracting(SourceProblem::line).containsExactly(2L, 3L);
    assertThat(problems.get(0).message()).contains("'middle_class_ip_name' holds half a");
  }
}
