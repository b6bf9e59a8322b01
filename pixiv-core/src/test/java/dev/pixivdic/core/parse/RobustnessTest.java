package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated hostile inputs: every one must give a result or the documented
 * {@link PageTooLargeException}, within a generous bound. The bound is a hang guard, not a
 * performance assertion.
 */
class RobustnessTest {

  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final ArticleUrl URL = ArticleUrl.ofTitle("初音ミク");
  private static final ArticleParser PARSER = ArticleParser.create();
  private static final SearchPageParser SEARCH = SearchPageParser.create();
  private static final long SEED = 20240601L;

  /** Named generated inputs. */
  record Input(String name, byte[] bytes) {
    @Override
    public String toString() {
      return name + " (" + bytes.length + " bytes)";
    }
  }

  static Stream<Input> inputs() {
    List<Input> out = new ArrayList<>();
    Random random = new Random(SEED);
    out.add(new Input("empty", new byte[0]));
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      byte[] b = c.body();
      for (int i = 1; i <= 4; i++) {
        int cut = (int) ((long) b.length * i / 5) + random.nextInt(7);
        out.add(new Input(c.name() + " truncated at " + cut,
            Arrays.copyOf(b, Math.min(cut, b.length))));
      }
      byte[] flipped = b.clone();
      for (int i = 0; i < Math.min(64, flipped.length); i++) {
        flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
      }
      out.add(new Input(c.name() + " with flipped bytes", flipped));
    }
    for (int i = 0; i < 40; i++) {
      byte[] junk = new byte[random.nextInt(64 * 1024)];
      random.nextBytes(junk);
      out.add(new Input("random bytes #" + i, junk));
    }
    out.add(new Input("10,000 nested divs", nestedDivs(10_000)));
    out.add(new Input("10,000 nested divs inside the article header", utf8(
        "<html><body><header id=\"article-content-header\"><h1 id=\"article-name\">x</h1>"
            + "<div>".repeat(10_000) + "<li title=\"閲覧数\"><div class=\"typography-14\">1</div></li>"
            + "</div>".repeat(10_000) + "</header></body></html>")));
    out.add(new Input("10,000 nested arrays in __NEXT_DATA__",
        nextData("[".repeat(10_000) + "]".repeat(10_000))));
    out.add(new Input("10,000 nested objects in __NEXT_DATA__",
        nextData("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))));
    out.add(new Input("unterminated comment and script",
        utf8("<html><!-- <script id=\"__NEXT_DATA__\">{")));
    out.add(new Input("UTF-16 bytes without a BOM",
        "<h1 id=\"article-name\">猫</h1>".getBytes(StandardCharsets.UTF_16LE)));
    out.add(new Input("NUL bytes", new byte[4096]));
    out.add(new Input("a bogus meta charset", utf8(
        "<meta charset=\"x-bogus\"><h1 id=\"article-name\">猫</h1>")));
    out.add(new Input("a bogus XML declaration", utf8(
        "<?xml version=\"1.0\" encoding=\"nonsense\"?><html></html>")));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void everyGeneratedArticleInputGivesAResult(Input input) {
    ParseResult r = assertTimeoutPreemptively(BOUND,
        () -> PARSER.parse(new Page(URL, 200, null, input.bytes())));
    assertThat(r.outcome()).isNotNull();
    assertThat(r.detail()).isNotBlank();
    assertThat(r.row().isPresent()).isEqualTo(r.outcome().isStored());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void everyGeneratedSearchInputGivesAResult(Input input) {
    SearchResult r = assertTimeoutPreemptively(BOUND, () -> SEARCH.parse(
        URI.create("https://dic.pixiv.net/search?query=x"), 200, null, input.bytes()));
    assertThat(r.kind()).isNotNull();
    assertThat(r.page()).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void everyGeneratedApiInputGivesAResult(Input input) {
    ParseResult r = assertTimeoutPreemptively(BOUND,
        () -> PARSER.parseApi(URL, input.bytes(), input.bytes()));
    assertThat(r.outcome()).isIn(Outcome.ARTICLE, Outcome.UNRECOGNIZED);
  }

  @Test
  void deeplyNestedNextDataFallsBackToTheDomAndSaysSo() {
    byte[] page = utf8("<html><body><h1 id=\"article-name\">初音ミク</h1>"
        + "<script id=\"__NEXT_DATA__\" type=\"application/json\">" + "[".repeat(10_000)
        + "]".repeat(10_000) + "</script></body></html>");
    ParseResult r = assertTimeoutPreemptively(BOUND, () -> PARSER.parse(Page.of(URL, page)));
    assertThat(r.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(r.provenance()).containsEntry("title", Strategy.DOM);
    assertThat(r.detail()).contains("__NEXT_DATA__ skipped").contains("nesting depth");
  }

  @Test
  void aTwentyMegabytePageIsRefusedWithATypedExceptionNamingTheUrl() {
    byte[] big = new byte[20 * 1000 * 1000];
    Arrays.fill(big, (byte) 'a');
    assertTimeoutPreemptively(BOUND, () -> {
      assertThatThrownBy(() -> PARSER.parse(new Page(URL, 200, null, big)))
          .isInstanceOf(PageTooLargeException.class)
          .hasMessageContaining(URL.canonical())
          .hasMessageContaining("20000000 bytes");
      assertThatThrownBy(() -> PARSER.parseApi(URL, big, null))
          .isInstanceOf(PageTooLargeException.class);
      assertThatThrownBy(() -> SEARCH.parse(Page.of(URL, big)))
          .isInstanceOf(PageTooLargeException.class);
    });
  }

  @Test
  void aPageJustUnderTheCapGivesAResult() {
    byte[] unit = utf8("<p>これは長い本文の段落です。</p>\n");
    byte[] body = new byte[ArticleParser.MAX_BODY_BYTES];
    for (int i = 0; i < body.length; i++) {
      body[i] = unit[i % unit.length];
    }
    ParseResult r = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> PARSER.parse(Page.of(URL, body)));
    assertThat(r.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
  }

  private static byte[] nestedDivs(int depth) {
    return utf8("<html><body>" + "<div>".repeat(depth) + "x" + "</div>".repeat(depth)
        + "</body></html>");
  }

  private static byte[] nextData(String json) {
    return utf8("<html><body><script id=\"__NEXT_DATA__\" type=\"application/json\">" + json
        + "</script></body></html>");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
