package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.core.parse.ArticleParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ParseCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path CORPUS =
      Path.of("..", "pixiv-core", "src", "test", "resources", "corpus", "article");

  /** Where a test's own files go: removed after it, never left in /tmp. */
  @TempDir Path dir;

  record Case(String name, Path page, JsonNode expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> corpus() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(CORPUS)) {
      for (Path e : files.filter(p -> p.toString().endsWith(".expected.json")).sorted().toList()) {
        String base = e.getFileName().toString().replace(".expected.json", "");
        Path html = e.resolveSibling(base + ".html");
        Path api = e.resolveSibling(base + ".api.json");
        Path page = Files.exists(html) ? html : Files.exists(api) ? api : null;
        if (page != null) {
          cases.add(new Case(base, page, JSON.readTree(e.toFile())));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void printsTheExpectedRowForEveryCorpusPage(Case c) {
    JsonNode e = c.expected();
    List<String> args = new ArrayList<>(List.of("parse", c.page().toString(),
        "--url", e.path("url").asText()));
    if (e.path("http_status").asInt() != 0 && c.page().toString().endsWith(".html")) {
      args.add("--status");
      args.add(e.path("http_status").asText());
    }
    Cli.Result r = Cli.run(args.toArray(String[]::new));

    assertThat(r.lines()).as(r.err()).hasSize(1);
    JsonNode out = readTree(r.lines().get(0));
    assertThat(out.path("outcome").asText()).as("%s: %s", c, out.path("detail"))
        .isEqualTo(e.path("outcome").asText());
    JsonNode row = e.get("row");
    if (row != null && !row.isNull()) {
      ArticleRow expected = RowJson.read(row.toString());
      com.fasterxml.jackson.databind.node.ObjectNode rowOnly =
          (com.fasterxml.jackson.databind.node.ObjectNode) out.deepCopy();
      rowOnly.remove(List.of("outcome", "detail", "provenance", "disagreements", "file"));
      ArticleRow actual = RowJson.read(rowOnly.toString());
      if (expected.contentHash() == null) {
        expected = expected.toBuilder().contentHash(actual.contentHash()).build();
      }
      assertThat(RowJson.write(actual)).isEqualTo(RowJson.write(expected));
    }
    int want = e.path("outcome").asText().equals("UNRECOGNIZED") ? 65 : 0;
    assertThat(r.code()).isEqualTo(want);
  }

  @Test
  void aColumnTheStrategiesReadTwoWaysIsAbsentAndItsReadingsArePrinted() {
    Cli.Result r = Cli.run("parse",
        CORPUS.resolve("current-nextdata-disagreeing-counts.html").toString());

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode out = readTree(r.out());
    assertThat(out.path("works_count").isNull()).as(out.toString()).isTrue();
    assertThat(out.path("provenance").has("works_count")).isFalse();
    assertThat(out.at("/disagreements/works_count/NEXT_DATA").asText()).isEqualTo("12");
    assertThat(out.at("/disagreements/works_count/DOM").asText()).isEqualTo("345680");
    assertThat(out.path("detail").asText()).contains("strategies disagree");
  }

  @Test
  void aSavedPageOrJsonWithAByteOrderMarkIsReadAsWithoutOne(@TempDir Path tmp)
      throws IOException {
    String page = Files.readString(CORPUS.resolve("current-nextdata-full.html"));
    byte[] api = Files.readAllBytes(CORPUS.resolve("api-pair-full.api.json"));
    Path utf8 = tmp.resolve("utf8.html");
    Files.writeString(utf8, "\uFEFF" + page);
    Path utf16 = tmp.resolve("utf16.html");
    Files.write(utf16, ("\uFEFF" + page).getBytes(StandardCharsets.UTF_16LE));
    Path json = tmp.resolve("api.json");
    Files.write(json, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, api));
    Cli.Result plain = Cli.run("parse", CORPUS.resolve("current-nextdata-full.html").toString());
    Cli.Result plainJson = Cli.run("parse", CORPUS.resolve("api-pair-full.api.json").toString());
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(plainJson.code()).as(plainJson.err()).isZero();

    for (Path p : List.of(utf8, utf16)) {
      Cli.Result r = Cli.run("parse", p.toString());
      assertThat(r.code()).as(p + ": " + r.err()).isZero();
      assertThat(withoutFile(r.out())).isEqualTo(withoutFile(plain.out()));
    }
    Path utf32 = tmp.resolve("utf32.json");
    Files.write(utf32, ("\uFEFF" + new String(api, StandardCharsets.UTF_8))
        .getBytes(java.nio.charset.Charset.forName("UTF-32LE")));
    for (Path p : List.of(json, utf32)) {
      Cli.Result r = Cli.run("parse", p.toString());
      assertThat(r.code()).as(p + ": " + r.err()).isZero();
      assertThat(withoutFile(r.out())).as(p.toString()).isEqualTo(withoutFile(plainJson.out()));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static JsonNode withoutFile(String line) {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        (com.fasterxml.jackson.databind.node.ObjectNode) readTree(line);
    o.remove("file");
    return o;
  }

  /**
   * A page kept by {@code scrape --archive} is stored gzip-compressed: read as it is, its bytes
   * were a page that named no article ("pass --url"), or with --url an unrecognised one.
   */
  @Test
  void aPageKeptByAnArchiveIsDecompressedAndParsedAsTheSavedPageIs() throws IOException {
    byte[] page = Files.readAllBytes(CORPUS.resolve("current-nextdata-full.html"));
    Path blob;
    try (dev.pixivdic.core.file.internal.PageArchive archive =
        dev.pixivdic.core.file.internal.PageArchive.open(dir.resolve("archive"))) {
      var entry = archive.put(dev.pixivdic.core.ArticleUrl.parse(
          "https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF"), 200,
          "text/html; charset=UTF-8", java.time.Instant.parse("2026-01-01T00:00:00Z"), page);
      blob = dir.resolve("archive").resolve("objects").resolve(entry.sha256().substring(0, 2))
          .resolve(entry.sha256() + ".gz");
    }
    Cli.Result plain = Cli.run("parse", CORPUS.resolve("current-nextdata-full.html").toString());
    assertThat(plain.code()).as(plain.err()).isZero();

    Cli.Result r = Cli.run("parse", blob.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(readTree(r.out()).path("outcome").asText()).isEqualTo("ARTICLE");
    assertThat(withoutFile(r.out())).isEqualTo(withoutFile(plain.out()));
    assertThat(readTree(r.out()).path("file").asText()).isEqualTo(blob.toString());

    ParseCommand.stdin = () -> new ByteArrayInputStream(read(blob));
    try {
      Cli.Result fromStdin = Cli.run("parse", "-");
      assertThat(fromStdin.code()).as(fromStdin.err()).isZero();
      assertThat(withoutFile(fromStdin.out())).isEqualTo(withoutFile(plain.out()));
    } finally {
      ParseCommand.stdin = () -> System.in;
    }
  }

  @Test
  void aDamagedCompressedPageIsAnUnreadableFileSaidAsSuchAndTheOthersStillParse()
      throws IOException {
    byte[] page = Files.readAllBytes(CORPUS.resolve("current-nextdata-full.html"));
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(page);
    }
    byte[] whole = gz.toByteArray();
    Path cut = dir.resolve("cut.html.gz");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    // Named as a blob, but another page's bytes: the archive's own check says so.
    Path other = dir.resolve("0".repeat(64) + ".gz");
    Files.write(other, whole);

    Cli.Result r = Cli.run("parse", cut.toString(), other.toString(),
        CORPUS.resolve("current-dom-full.html").toString(), "--url", "https://dic.pixiv.net/a/x");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.lines()).as("the page that could be read").hasSize(1);
    assertThat(r.err()).contains(cut + ": not a whole gzip file", other + ": content hash is ",
        "gzip-compressed", "pixiv replay").doesNotContain("UNRECOGNIZED", "pass --url");
  }

  @Test
  void oneLinePerInputAndExit65WhenAnyIsUnrecognized() {
    Cli.Result r = Cli.run("parse", CORPUS.resolve("current-dom-full.html").toString(),
        CORPUS.resolve("unrelated-page.html").toString(), "--url", "https://dic.pixiv.net/a/x");
    assertThat(r.lines()).hasSize(2);
    assertThat(r.code()).isEqualTo(65);
    assertThat(r.err()).contains("unrelated-page.html: UNRECOGNIZED");
  }

  @Test
  void aMissingFileBesideAnUnrecognizedPageExits65AfterParsingTheRest() {
    // 65 says a page needs the parser looked at; the missing file is named all the same.
    Cli.Result r = Cli.run("parse", CORPUS.resolve("missing.html").toString(),
        CORPUS.resolve("unrelated-page.html").toString(),
        CORPUS.resolve("current-dom-full.html").toString(), "--url", "https://dic.pixiv.net/a/x");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
    assertThat(r.lines()).hasSize(2);
    assertThat(r.err()).contains("missing.html", "unrelated-page.html: UNRECOGNIZED");
  }

  @Test
  void aPageOverTheParsersCapIsUnrecognizedWithExit65AsInARunAndTheOthersStillParse()
      throws java.io.IOException {
    java.nio.file.Path big = java.nio.file.Files.createTempFile(dir, "pixiv-big", ".html");
    try {
      byte[] page = new byte[17 * 1024 * 1024];
      java.util.Arrays.fill(page, (byte) ' ');
      java.nio.file.Files.write(big, page);

      Cli.Result r = Cli.run("parse", big.toString(),
          CORPUS.resolve("current-dom-full.html").toString(), "--url", "https://dic.pixiv.net/a/x");

      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
      assertThat(r.err()).contains(big + ": UNRECOGNIZED: ", "16777216");
      assertThat(r.out().lines()).as("a line for each file, the page over the cap's first")
          .hasSize(2).first().asString().contains("\"outcome\":\"UNRECOGNIZED\"")
          .contains("\"file\":\"" + big + "\"");
    } finally {
      java.nio.file.Files.delete(big);
    }
  }

  @Test
  void anEndlessInputIsReadOnlyToTheCapAndIsUnrecognizedNotOutOfMemory() throws Exception {
    // `pixiv parse - < /dev/zero`: read all of it, and the JVM ran out of memory (exit 1).
    java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
    long endless = 1L << 40;
    ParseCommand.stdin = () -> new java.io.InputStream() {
      @Override
      public int read() {
        return served.getAndIncrement() < endless ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        served.addAndGet(len);
        java.util.Arrays.fill(b, off, off + len, (byte) 0);
        return len;
      }
    };
    try {
      Cli.Result r = Cli.run("parse", "-", "--url", "https://dic.pixiv.net/a/x");

      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
      assertThat(r.err()).contains("-: UNRECOGNIZED: ", "16777216");
      assertThat(served.get()).isLessThan(2L * ArticleParser.MAX_BODY_BYTES);
      // Before, such a page had no line on stdout, unlike every other unrecognised page.
      com.fasterxml.jackson.databind.JsonNode line =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out().strip());
      assertThat(line.path("url").asText()).isEqualTo("https://dic.pixiv.net/a/x");
      assertThat(line.path("outcome").asText()).isEqualTo("UNRECOGNIZED");
      assertThat(line.path("detail").asText()).contains("16777216");
      assertThat(line.path("file").asText()).isEqualTo("-");
    } finally {
      ParseCommand.stdin = () -> System.in;
    }
  }

  @Test
  void readsStandardInputForADash() {
    ParseCommand.stdin =
        () -> new ByteArrayInputStream(read(CORPUS.resolve("current-dom-full.html")));
    try {
      Cli.Result r = Cli.run("parse", "-", "--url", "https://dic.pixiv.net/a/x");
      assertThat(r.code()).isZero();
      assertThat(readTree(r.out()).path("outcome").asText()).isEqualTo("ARTICLE");
      assertThat(readTree(r.out()).path("file").asText()).isEqualTo("-");
    } finally {
      ParseCommand.stdin = () -> System.in;
    }
  }

  @Test
  void standardInputTwiceOrAnEmptyPathIsAUsageErrorBeforeAnyPageIsParsed() {
    String page = CORPUS.resolve("current-dom-full.html").toString();

    Cli.Result twice = Cli.run("parse", page, "-", "-", "--url", "https://dic.pixiv.net/a/x");
    assertThat(twice.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(twice.err()).contains("- (standard input) can be given once")
        .doesNotContain("Stream closed");
    assertThat(twice.out()).isEmpty();

    Cli.Result empty = Cli.run("parse", page, "", "--url", "https://dic.pixiv.net/a/x");
    assertThat(empty.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("an empty path names no file")
        .doesNotContain("directory");
    assertThat(empty.out()).isEmpty();
  }

  @Test
  void aMissingFileIsAReadableErrorAndTheOthersStillParse() {
    Cli.Result r = Cli.run("parse", "no-such-page.html",
        CORPUS.resolve("current-dom-full.html").toString(),
        "--url", "https://dic.pixiv.net/a/x");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no-such-page.html: no such file");
    assertThat(r.lines()).hasSize(1);
  }

  @Test
  void aFileNamedWithATrailingSlashIsNotReadAndTheOthersStillParse() {
    String page = CORPUS.resolve("current-dom-full.html").toString();
    Cli.Result r = Cli.run("parse", page + "/", page + "/.", page,
        "--url", "https://dic.pixiv.net/a/x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains(page + "/: cannot read: it ends with '/'")
        .contains(page + "/.: cannot read").contains("is a file, not a directory");
    assertThat(r.lines()).hasSize(1);
  }

  @Test
  void aPageWithoutCanonicalLinkNeedsUrl() throws IOException {
    Path page = Files.createTempFile(dir, "page", ".html");
    Files.writeString(page, "<html><body><h1 id=article-name>x</h1></body></html>");
    Cli.Result r = Cli.run("parse", page.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("pass --url");
  }

  @Test
  void theUrlComesFromTheCanonicalLinkWhenPresent() throws IOException {
    Path page = Files.createTempFile(dir, "page", ".html");
    // The 初音ミク page names itself in its canonical link (a page naming two articles is not one).
    Files.writeString(page, Files.readString(CORPUS.resolve("current-nextdata-full.html")));
    Cli.Result r = Cli.run("parse", page.toString());
    assertThat(r.code()).isZero();
    assertThat(readTree(r.out()).path("url").asText())
        .isEqualTo("https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF");
  }

  @Test
  void anOgUrlInTheBodyIsNeverTheUrlOfThePage() throws IOException {
    Path page = Files.createTempFile(dir, "page", ".html");
    Files.writeString(page, "<html><head><title>x</title></head><body><div hidden><meta"
        + " property=\"og:url\" content=\"https://dic.pixiv.net/a/x\"><link rel=\"canonical\""
        + " href=\"/a/y\"></div><h1 id=article-name>x</h1></body></html>");
    Cli.Result r = Cli.run("parse", page.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("pass --url");
  }

  @Test
  void aJsonTagNameThatNoTitleCanBeIsAUsageErrorNotACrash() throws IOException {
    for (String tag : new String[] {".", "..", "a\\u0000b"}) {
      Path json = Files.createTempFile(dir, "article", ".json");
      Files.writeString(json, "{\"tagName\": \"" + tag + "\", \"abstract\": \"a\"}");
      Cli.Result r = Cli.run("parse", json.toString());
      assertThat(r.code()).as(tag).isEqualTo(2);
      assertThat(r.err()).as(tag).contains("no article title").contains("pass --url")
          .doesNotContain("internal error");
    }
  }

  /** Malformed JSON was said with Jackson's location text, naming no line in our words. */
  @Test
  void malformedJsonIsSaidWithItsLineAndColumnInPlainWords(@TempDir Path tmp)
      throws IOException {
    Path json = Files.writeString(tmp.resolve("article.json"),
        "{\n  \"tagName\": \"x\",\n  \"summary\": tru\n}\n");

    Cli.Result r = Cli.run("parse", json.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("pixiv parse: " + json + ": not valid JSON at line 3, column ")
        .contains("unrecognized token 'tru'");
    assertThat(r.err()).doesNotContain("Source", "REDACTED", "StreamReadFeature", "code ");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(Cli.run("parse").code()).isEqualTo(2);
    assertThat(Cli.run("parse", "x.html", "--url", "https://example.com/a/x").err())
        .contains("not on dic.pixiv.net");
    assertThat(Cli.run("parse", "x.html", "--status", "999").code()).isEqualTo(2);
    Cli.Result noStatus = Cli.run("parse", "x.html", "--status", "50");
    assertThat(noStatus.code()).isEqualTo(2);
    assertThat(noStatus.err()).contains("0 (unknown) or an HTTP status from 100 to 599, was 50");
    assertThat(Cli.run("frobnicate").code()).isEqualTo(2);
  }

  @Test
  void helpAndVersionWork() {
    Cli.Result help = Cli.run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("scrape", "parse", "replay", "demo", "Exit codes");
    Cli.Result version = Cli.run("--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("pixiv ");
    // Every command's help lists -V; each prints what `pixiv -V` does (they printed nothing).
    for (String command : List.of("scrape", "resolve", "parse", "replay", "trends", "demo",
        "completion")) {
      Cli.Result v = Cli.run(command, "-V");
      assertThat(v.code()).as(command).isZero();
      assertThat(v.out()).as(command).isEqualTo(version.out());
    }
  }

  private static JsonNode readTree(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
