package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

class SkeletonTest {

  private static final String PROSE = "<div data-header-id=\"h2_0\"><h2>見出し</h2><p>長い本文の"
      + "文章がここに続く。<a href=\"/a/Y\">リンクの文字</a>そして終わり。</p></div>";

  private static Skeleton scan(String html) {
    return Skeleton.of(html.getBytes(StandardCharsets.UTF_8));
  }

  private static Document dom(Skeleton s) {
    return Skeleton.mark(Jsoup.parse(new String(s.html(), StandardCharsets.UTF_8)));
  }

  /** The JSON the skeleton reads for its one __NEXT_DATA__ script. */
  private static JsonNode nextData(String html) {
    Skeleton s = scan(html);
    assertThat(s).as("skeleton of %s", html).isNotNull();
    Elements scripts = dom(s).select("script#__NEXT_DATA__");
    assertThat(scripts).hasSize(1);
    return s.nextData(scripts.first());
  }

  @Test
  void proseTextIsLeftOutButLinksHeadingsAndElementsStay() {
    Skeleton s = scan("<html><body>" + PROSE + "</body></html>");

    Document doc = dom(s);
    Document whole = Jsoup.parse("<html><body>" + PROSE + "</body></html>");
    assertThat(doc.select("*").size()).isEqualTo(whole.select("*").size());
    assertThat(doc.selectFirst("h2").text()).isEqualTo("見出し");
    assertThat(doc.selectFirst("a").text()).isEqualTo("リンクの文字");
    assertThat(s.changed()).isTrue();
    assertThatThrownBy(() -> Html.text(doc.selectFirst("p")))
        .isInstanceOf(Skeleton.Unsure.class);
    assertThat(Html.text(whole.selectFirst("p"))).contains("長い本文");
  }

  @Test
  void theSkeletonStreamsTheSameBytesWhateverTheSizeOfTheReads() throws Exception {
    String page = "<html><body><script id=\"__NEXT_DATA__\">{\"a\":1}</script>" + PROSE
        + PROSE + "</body></html>";
    String expected = "<html><body><script id=\"__NEXT_DATA__\">" + Skeleton.NEXT_DATA_MARK
        + "</script>" + ("<div data-header-id=\"h2_0\"><h2>見出し</h2><p>" + Skeleton.PRUNED
        + "<a href=\"/a/Y\">リンクの文字</a>" + Skeleton.PRUNED + "</p></div>").repeat(2)
        + "</body></html>";
    Skeleton s = scan(page);

    assertThat(new String(s.html(), StandardCharsets.UTF_8)).isEqualTo(expected);
    for (int chunk = 1; chunk <= 9; chunk++) {
      java.io.InputStream in = s.stream();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[chunk + 2];
      for (int got; (got = in.read(buf, 1, chunk)) != -1; ) {
        assertThat(got).isBetween(1, chunk);
        out.write(buf, 1, got);
      }
      assertThat(in.read()).isEqualTo(-1);
      assertThat(out.toString(StandardCharsets.UTF_8)).as("reads of %d", chunk)
          .isEqualTo(expected);
    }
    assertThat(s.stream().read()).isEqualTo('<');
    assertThat(s.parse("https://dic.pixiv.net/").html())
        .isEqualTo(dom(s).html());
  }

  @Test
  void theSkeletonOfAWellFormedPageDecodesTheSameCharsWhateverTheSizeOfTheReads()
      throws Exception {
    String page = "<html><body><script id=\"__NEXT_DATA__\">{\"a\":\"\u00e9\ud83c\udfb5\"}"
        + "</script>" + PROSE + "<p>\u521d\ud83c\udfb5</p>" + PROSE + "</body></html>";
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    for (byte[] bytes : new byte[][] {page.getBytes(StandardCharsets.UTF_8),
        concat(bom, page.getBytes(StandardCharsets.UTF_8))}) {
      Skeleton s = Skeleton.of(bytes, true);
      Skeleton streamed = Skeleton.of(bytes, false);
      // As jsoup decodes the stream: a UTF-8 byte order mark dropped.
      String expected = new String(s.html(), StandardCharsets.UTF_8).replaceFirst("^\ufeff", "");
      for (int chunk = 1; chunk <= 9; chunk++) {
        java.io.Reader in = s.chars();
        StringBuilder out = new StringBuilder();
        char[] buf = new char[chunk + 2];
        for (int got; (got = in.read(buf, 1, chunk)) != -1; ) {
          assertThat(got).isBetween(1, chunk);
          out.append(buf, 1, got);
        }
        assertThat(in.read()).isEqualTo(-1);
        assertThat(out.toString()).as("reads of %d", chunk).isEqualTo(expected);
      }
      assertThat(s.parse("https://dic.pixiv.net/").outerHtml())
          .isEqualTo(streamed.parse("https://dic.pixiv.net/").outerHtml());
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aProseRunWithACharacterReferenceOrNulAnywhereIsKept() {
    String run = "長い本文の文章がここに続く、さらに続く";
    for (String odd : new String[] {"&#32;", "\0"}) {
      for (int at = 0; at <= run.length(); at++) {
        String text = run.substring(0, at) + odd + run.substring(at);
        String html = "<div data-header-id=\"h2_0\"><p>" + text + "</p></div>";
        Skeleton s = scan(html);
        assertThat(s.changed()).as("%s at %d", odd, at).isFalse();
      }
    }
    assertThat(scan("<div data-header-id=\"h2_0\"><p>" + run + "</p></div>").changed())
        .isTrue();
  }

  @Test
  void theRealScriptIsFoundWhateverTheAttributeOrderAndQuotes() {
    assertThat(nextData("<body><script type=application/json id='__NEXT_DATA__'>{\"a\":1}"
        + "</script></body>").path("a").asInt()).isEqualTo(1);
    assertThat(nextData("<body><SCRIPT\nID=__NEXT_DATA__ type=\"application/json\">{\"a\":2}"
        + "</SCRIPT ></body>").path("a").asInt()).isEqualTo(2);
  }

  @Test
  void aDecoyInACommentOrInAnotherElementsTextIsNotTaken() {
    String real = "<script id=\"__NEXT_DATA__\" type=\"application/json\">{\"real\":true}</script>";
    assertThat(nextData("<body><!-- <script id=\"__NEXT_DATA__\">{\"real\":false}</script> -->"
        + real + "</body>").path("real").asBoolean()).isTrue();
    assertThat(nextData("<body><script>var s = '<div id=\"__NEXT_DATA__\">{}<\\/div>';</script>"
        + real + "</body>").path("real").asBoolean()).isTrue();
    assertThat(nextData("<body><textarea><script id=\"__NEXT_DATA__\">{\"real\":false}"
        + "</script></textarea>" + real + "</body>").path("real").asBoolean()).isTrue();
    assertThat(nextData("<body><p title='<script id=\"__NEXT_DATA__\">'>x</p>" + real
        + "</body>").path("real").asBoolean()).isTrue();
  }

  @Test
  void markupTheScanDoesNotFollowExactlyGivesNoSkeleton() {
    for (String html : new String[] {
        "<body><![CDATA[ x ]]>" + PROSE,
        "<body><?php x ?>" + PROSE,
        "<body>a < b" + PROSE,
        "<body><!-- unterminated " + PROSE,
        "<body><plaintext>" + PROSE,
        "<body><script/>" + PROSE,
        "<body><script><!-- <script> --></script>" + PROSE,
        "<body><svg><script id=\"__NEXT_DATA__\">{}</script></svg>" + PROSE,
        "<body><script id=\"&#95;_NEXT_DATA__\">{}</script>" + PROSE,
        "<body><div class=\"a\"b\">" + PROSE,
        "<body><div " + PROSE.substring(0, 10)}) {
      assertThat(scan(html)).as(html).isNull();
    }
  }

  @Test
  void aScriptThatIsNotTheScannedOneOrIsNotWellFormedIsUnsure() {
    String html = "<body><script id=\"__NEXT_DATA__\">{\"a\":\"\u00e9\"}</script></body>";
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    int at = html.indexOf('\u00e9') + 1;
    bytes[at] = (byte) 0xC3;
    Skeleton broken = Skeleton.of(bytes);
    Element script = dom(broken).selectFirst("script#__NEXT_DATA__");
    assertThatThrownBy(() -> broken.nextData(script)).isInstanceOf(Skeleton.Unsure.class);

    Skeleton s = scan("<body><script id=\"__NEXT_DATA__\">{}</script></body>");
    Element other = Jsoup.parse("<script id=\"__NEXT_DATA__\">{}</script>")
        .selectFirst("script");
    assertThatThrownBy(() -> s.nextData(other)).isInstanceOf(Skeleton.Unsure.class);
  }

  @Test
  void wellFormedUtf8IsToldFromOverlongAndTruncatedForms() {
    byte[] ok = "aé初🎵".getBytes(StandardCharsets.UTF_8);
    assertThat(Skeleton.isWellFormedUtf8(ok, 0, ok.length)).isTrue();
    assertThat(Skeleton.isWellFormedUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF}, 0, 2)).isFalse();
    assertThat(Skeleton.isWellFormedUtf8(new byte[] {(byte) 0xE3, (byte) 0x81}, 0, 2)).isFalse();
    assertThat(Skeleton.isWellFormedUtf8(
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).isFalse();
  }

  @Test
  void wellFormedUtf8IsToldOfEveryRangeOfAnArrayAsOfTheRangeAlone() {
    // Whole sequences of each length, each cut short, and bytes no sequence starts with.
    byte[] page = "a\u00e9\u521d\ud83c\udfb5b".getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[page.length + 1];
    System.arraycopy(page, 0, bad, 0, page.length);
    bad[page.length] = (byte) 0xF5;
    for (byte[] b : new byte[][] {page, bad}) {
      for (int from = 0; from <= b.length; from++) {
        for (int to = from; to <= b.length; to++) {
          byte[] range = Arrays.copyOfRange(b, from, to);
          boolean wellFormed = Arrays.equals(
              new String(range, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), range);
          assertThat(Skeleton.isWellFormedUtf8(b, from, to)).as("[%d, %d)", from, to)
              .isEqualTo(wellFormed);
        }
      }
    }
  }

  /**
   * A page passing through every state of the scan: a doctype, comments, tags with attribute
   * values quoted and not, texts outside and inside a prose block (with a link and a heading),
   * raw texts, SVG, and the JSON with a long string left out of what Jackson sees; every part
   * holds characters of two, three and four bytes.
   */
  private static final String EVERY_STATE = "<!DOCTYPE html><!-- 注釈 \u00e9 --><html><head>"
      + "<title>初音ミク \u00e9</title><style>p::before{content:'\u00e9🎵'}</style>"
      + "<meta name=\"description\" content=\"説明\u00e9🎵\"><meta title=初音\u00e9>"
      + "</head><body><p>ascii text long enough 外の文\u00e9🎵</p>" + PROSE
      + "<div data-header-id=\"h2_1\"><p>本文\u00e9🎵の長い文章。<b>太字</b>だ。</p></div>"
      + "<svg><title>図\u00e9</title></svg><textarea>入力\u00e9🎵</textarea>"
      + "<script>var s = '台本\u00e9🎵';</script><script id=\"__NEXT_DATA__\">{\"a\":\"短\u00e9\","
      + "\"body\":\"" + "長い文字列\u00e9🎵".repeat(60) + "\",\"b\":[1,\"🎵\"]}</script>"
      + "<p>終わり\u00e9🎵</p></body></html>";

  /** Sequences that are not well-formed UTF-8, of each kind, or not whole. */
  private static final byte[][] MALFORMED = {{(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC0,
      (byte) 0xAF}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xC2}, {(byte) 0xE3, (byte) 0x81},
      {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90,
      (byte) 0x80, (byte) 0x80}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x8E}, {(byte) 0xF5},
      {(byte) 0xFF}};

  private static boolean jdkWellFormed(byte[] b) {
    return Arrays.equals(new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8),
        b);
  }

  @Test
  void theCheckingScanTellsWellFormedBytesAsTheJdkDoesWhereverAMalformedSequenceIs() {
    // The same page followed to its end, and given up on part-way (a stray '<'), so that the
    // bytes after the give-up are checked too.
    for (String page : new String[] {EVERY_STATE, EVERY_STATE.replace("<svg>", "< <svg>")}) {
      byte[] ok = page.getBytes(StandardCharsets.UTF_8);
      SkeletonScan whole = SkeletonScan.checking(ok);
      Skeleton s = whole.run();
      assertThat(whole.wellFormedUtf8()).isTrue();
      assertThat(s == null).isEqualTo(Skeleton.of(ok) == null);
      if (s != null) {
        assertThat(s.html()).isEqualTo(Skeleton.of(ok).html());
      }
      for (int at = 0; at <= ok.length; at++) {
        for (byte[] bad : MALFORMED) {
          // Inserted before the byte at `at`, and written over it and the bytes after it.
          byte[] inserted = Arrays.copyOf(ok, ok.length + bad.length);
          System.arraycopy(bad, 0, inserted, at, bad.length);
          System.arraycopy(ok, at, inserted, at + bad.length, ok.length - at);
          byte[] over = ok.clone();
          System.arraycopy(bad, 0, over, at, Math.min(bad.length, ok.length - at));
          for (byte[] b : new byte[][] {inserted, over}) {
            SkeletonScan scan = SkeletonScan.checking(b);
            Skeleton got = scan.run();
            boolean wellFormed = jdkWellFormed(b);
            assertThat(scan.wellFormedUtf8()).as("%s at %d", Arrays.toString(bad), at)
                .isEqualTo(wellFormed);
            if (!wellFormed) {
              assertThat(got).as("%s at %d", Arrays.toString(bad), at).isNull();
            }
          }
        }
      }
    }
  }

  @Test
  void theCheckingScanChecksEveryOffsetOfTheEightByteStepsAndThePageEnds() {
    // A malformed byte at every offset of a long run of ASCII, of ASCII after a three-byte
    // character, and right before and after a '<'.
    String[] pages = {"<p>" + "a".repeat(40) + "</p>", "<p>初" + "a".repeat(40) + "</p>",
        "<p>" + "a".repeat(17) + "<b>" + "a".repeat(17) + "</b></p>", "", "a", "<p>"};
    for (String page : pages) {
      byte[] ok = page.getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at <= ok.length; at++) {
        for (byte[] bad : MALFORMED) {
          byte[] b = Arrays.copyOf(ok, ok.length + bad.length);
          System.arraycopy(bad, 0, b, at, bad.length);
          System.arraycopy(ok, at, b, at + bad.length, ok.length - at);
          SkeletonScan scan = SkeletonScan.checking(b);
          scan.run();
          assertThat(scan.wellFormedUtf8()).as("%s: %s at %d", page, Arrays.toString(bad), at)
              .isEqualTo(jdkWellFormed(b));
        }
      }
      SkeletonScan scan = SkeletonScan.checking(ok);
      scan.run();
      assertThat(scan.wellFormedUtf8()).as(page).isTrue();
    }
  }

  @Test
  void theWordNextDataIsFoundAnywhereInTheBytesAndNearMissesAreNot() {
    String word = "__NEXT_DATA__";
    for (String page : new String[] {word, word + "x", "x" + word, "本文<p>" + word + "</p>",
        "___NEXT_DATA___", "<script id=\"" + word + "\">"}) {
      assertThat(Skeleton.mentionsNextData(page.getBytes(StandardCharsets.UTF_8)))
          .as(page).isTrue();
    }
    for (String page : new String[] {"", "_", "__NEXT_DATA_", "_NEXT_DATA__", "__next_data__",
        "__NEXT_DATA_ _", "__NEXT-DATA__", "本文".repeat(40)}) {
      assertThat(Skeleton.mentionsNextData(page.getBytes(StandardCharsets.UTF_8)))
          .as(page).isFalse();
    }
  }

  @Test
  void theWordIsFoundAtEveryOffsetAcrossTheEightByteStepsAndAmongOtherXs() {
    String word = "__NEXT_DATA__";
    for (int before = 0; before < 24; before++) {
      for (int after = 0; after < 10; after++) {
        String around = "X_NEXT_DATAX" + "本".repeat(after);
        String page = "aX".repeat(before / 2) + "a".repeat(before % 2) + word + around;
        assertThat(Skeleton.mentionsNextData(page.getBytes(StandardCharsets.UTF_8)))
            .as(page).isTrue();
        String cut = "aX".repeat(before / 2) + "a".repeat(before % 2) + word.substring(1)
            + around;
        assertThat(Skeleton.mentionsNextData(cut.getBytes(StandardCharsets.UTF_8)))
            .as(cut).isFalse();
      }
    }
  }

  @Test
  void theSampledLookUpFindsTheWordAtEveryOffsetAndNoNearMiss() {
    String word = "__NEXT_DATA__";
    // Fillers of bytes the word holds, so that every sampled position has candidates to check.
    for (String filler : new String[] {"a", "_", "A", "X", "__NEXT", "DATA_", "本"}) {
      for (int length = 0; length <= 3 * word.length() + 2; length++) {
        String around = filler.repeat(length + 1);
        for (int at = 0; at <= length; at++) {
          String before = around.substring(0, at);
          String after = around.substring(at, length);
          assertLookUp(before + word + after);
          for (int k = 0; k < word.length(); k++) {
            // Each byte of the word changed, dropped, or the word cut at either end.
            char other = word.charAt(k) == '_' ? 'A' : '_';
            assertLookUp(before + word.substring(0, k) + other + word.substring(k + 1) + after);
            assertLookUp(before + word.substring(0, k) + word.substring(k + 1) + after);
          }
        }
      }
    }
    Random random = new Random(5);
    String alphabet = "_NEXTDA_a<本";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder page = new StringBuilder();
      for (int i = random.nextInt(60); i > 0; i--) {
        page.append(random.nextInt(8) == 0 ? word : String.valueOf(
            alphabet.charAt(random.nextInt(alphabet.length()))));
      }
      assertLookUp(page.toString());
    }
  }

  private static void assertLookUp(String page) {
    byte[] b = page.getBytes(StandardCharsets.UTF_8);
    boolean expected = new String(b, StandardCharsets.ISO_8859_1).contains("__NEXT_DATA__");
    if (Skeleton.mentionsNextData(b) != expected) {
      assertThat(Skeleton.mentionsNextData(b)).as(page).isEqualTo(expected);
    }
  }
}
