package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.parse.Mutations.Mutation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * {@link Html#parse} builds the DOM jsoup builds from the bytes ({@code Jsoup.parse} of a
 * stream, charset from the content type), whichever way it decodes them: the same nodes, the
 * same text with the same U+FFFD for malformed bytes, the same output charset.
 */
class HtmlTest {

  private static final String UTF8 = "text/html; charset=utf-8";
  private static final String BASE = "https://dic.pixiv.net/a/x";

  /** What jsoup builds from the bytes, the way the parser always did. */
  private static Document jsoup(byte[] body, String charset) {
    try {
      return Jsoup.parse(new ByteArrayInputStream(body), charset, BASE);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertSameDom(byte[] body, String contentType, String charset,
      String what) {
    Document expected = jsoup(body, charset);
    Document actual = Html.parse(body, contentType, BASE);
    assertThat(actual.outerHtml()).as(what).isEqualTo(expected.outerHtml());
    assertThat(actual.charset()).as(what).isEqualTo(expected.charset());
    assertThat(actual.location()).as(what).isEqualTo(expected.location());
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyCorpusPageAndEveryMutationOfItGivesJsoupsDom() {
    int pages = 0;
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      assertSameDom(c.body(), UTF8, "UTF-8", c.name());
      pages++;
    }
    for (GoldenCorpus.Case c : MutationTest.articleCases()) {
      for (Mutation m : Mutations.all()) {
        MutablePage mutated = MutationTest.mutate(c, m);
        if (mutated.applied) {
          assertSameDom(mutated.render(), UTF8, "UTF-8", m.name() + " of " + c.name());
          pages++;
        }
      }
    }
    assertThat(pages).isGreaterThan(1000);
  }

  @Test
  void malformedUtf8AnywhereGivesTheSameReplacementCharacters() {
    // A page longer than jsoup's read buffers, so that bad bytes fall on their edges too.
    StringBuilder html = new StringBuilder("<html><head><title>初音ミク</title></head><body>");
    for (int i = 0; html.length() < 30_000; i++) {
      html.append("<p class=t").append(i % 7).append(">初音ミクの記事 ").append(i)
          .append(" é ✓ 😀</p>\n");
    }
    byte[] page = utf8(html.append("</body></html>").toString());
    int[][] bad = {{0xff}, {0x80}, {0xc0, 0x80}, {0xe3, 0x81}, {0xed, 0xa0, 0x80},
        {0xf0, 0x9f, 0x98}, {0xf4, 0x90, 0x80, 0x80}, {0xe3, 0xe3, 0x81, 0x82},
        {0xf8, 0x88, 0x80, 0x80, 0x80}, {0xe0, 0x80, 0xaf}};
    List<Integer> offsets = new ArrayList<>(List.of(0, 1, 2, page.length - 1, page.length));
    for (int k = 1; k * 1024 < page.length; k++) {
      for (int d = -3; d <= 3; d++) {
        offsets.add(k * 1024 + d);
      }
    }
    for (int[] seq : bad) {
      byte[] b = new byte[seq.length];
      for (int i = 0; i < seq.length; i++) {
        b[i] = (byte) seq[i];
      }
      for (int at : offsets) {
        byte[] body = concat(Arrays.copyOfRange(page, 0, at), b,
            Arrays.copyOfRange(page, at, page.length));
        assertSameDom(body, UTF8, "UTF-8", "bytes " + Arrays.toString(seq)
            + " at " + at);
      }
      // Cut off mid-sequence at the very end.
      assertSameDom(concat(page, b), UTF8, "UTF-8", "page ending in "
          + Arrays.toString(seq));
    }
    assertThat(Html.parse(concat(page, new byte[] {(byte) 0xe3, (byte) 0x81}), UTF8, BASE)
        .body().text()).endsWith("\uFFFD");
  }

  @Test
  void randomBytesGiveJsoupsDom() {
    Random random = new Random(12);
    byte[] alphabet = concat(utf8("<>/=\"' abc初音ミク😀&amp;"), new byte[] {(byte) 0x80,
        (byte) 0xbf, (byte) 0xc2, (byte) 0xe3, (byte) 0xed, (byte) 0xf0, (byte) 0xf4,
        (byte) 0xff, 0});
    for (int n = 0; n < 300; n++) {
      byte[] body = new byte[random.nextInt(20_000)];
      for (int i = 0; i < body.length; i++) {
        body[i] = alphabet[random.nextInt(alphabet.length)];
      }
      assertSameDom(body, UTF8, "UTF-8", "random page " + n);
    }
  }

  /** What the parser built before it had its own reader: the text decoded by the JDK. */
  private static Document decodedByTheJdk(byte[] body) {
    return Parser.htmlParser().parseInput(new String(body, StandardCharsets.UTF_8), BASE);
  }

  @Test
  void theReaderBuildsTheDomOfTheTextTheJdkDecodes() {
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      assertThat(Html.parse(c.body(), UTF8, BASE).outerHtml()).as(c.name())
          .isEqualTo(decodedByTheJdk(c.body()).outerHtml());
    }
    Random random = new Random(41);
    byte[][] pieces = {utf8("<p class=\"a\">"), utf8("</p>"), utf8("本文の記事"), utf8("é"),
        utf8("😀"), utf8("plain text "), utf8("&amp;"), new byte[] {(byte) 0x80},
        new byte[] {(byte) 0xe3, (byte) 0x81}, new byte[] {(byte) 0xf0, (byte) 0x9f},
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xc0}};
    for (int n = 0; n < 200; n++) {
      ByteArrayOutputStream page = new ByteArrayOutputStream();
      page.writeBytes(utf8("<html><body>"));
      for (int i = random.nextInt(8_000); i > 0; i--) {
        page.writeBytes(pieces[random.nextInt(pieces.length)]);
      }
      byte[] body = page.toByteArray();
      assertThat(Html.parse(body, UTF8, BASE).outerHtml()).as("random page " + n)
          .isEqualTo(decodedByTheJdk(body).outerHtml());
    }
  }

  @Test
  void aByteOrderMarkDecidesTheCharsetAsInJsoup() {
    String page = "<html><head><title>初音ミク</title></head><body><p>記事</p></body></html>";
    byte[] utf8Bom = concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8(page));
    byte[] utf16Bom = ("\uFEFF" + page).getBytes(StandardCharsets.UTF_16LE);

    assertSameDom(utf8Bom, UTF8, "UTF-8", "UTF-8 BOM");
    assertSameDom(utf16Bom, UTF8, "UTF-8", "UTF-16LE BOM, content type UTF-8");
    assertThat(Html.parse(utf8Bom, UTF8, BASE).title()).isEqualTo("初音ミク");
    assertThat(Html.parse(utf16Bom, UTF8, BASE).title()).isEqualTo("初音ミク");
  }

  @Test
  void aMetaCharsetCountsOnlyWhenTheContentTypeNamesNone() {
    Charset sjis = Charset.forName("Shift_JIS");
    byte[] page = ("<html><head><meta charset=\"Shift_JIS\"><title>初音ミク</title></head>"
        + "<body><p>記事</p></body></html>").getBytes(sjis);

    assertSameDom(page, UTF8, "UTF-8", "Shift_JIS page served as UTF-8");
    assertSameDom(page, null, null, "Shift_JIS page, no content type");
    assertSameDom(page, "text/html; charset=Shift_JIS", "Shift_JIS", "Shift_JIS declared");
    assertThat(Html.parse(page, null, BASE).title()).isEqualTo("初音ミク");
    assertThat(Html.parse(page, UTF8, BASE).title()).contains("\uFFFD");
  }

  private static void assertResolvesAsJsoup(Element e, String what) {
    for (String attr : List.of("href", "src", "HREF")) {
      assertThat(LinkUrl.of(e, attr)).as("%s %s of %s", what, attr, e.outerHtml())
          .isEqualTo(e.absUrl(attr));
    }
  }

  @Test
  void everyLinkOfEveryCorpusPageResolvesAsJsoupResolvesIt() {
    int links = 0;
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      Document doc = Html.parse(c.body(), UTF8, c.url());
      for (Element e : doc.select("[href], [src]")) {
        assertResolvesAsJsoup(e, c.name());
        links++;
      }
    }
    assertThat(links).isGreaterThan(500);
  }

  @Test
  void linksJsoupOrTheUrlClassWouldRewriteResolveAsJsoupResolvesThem() {
    List<String> hrefs = List.of("/a/x", "/a/日本語", "/a/%E6%97%A5", "/a/x y", "/a/x\ty",
        "/a/x\u0001", " /a/x", "/a/x ", "/a/./x", "/a/../x", "/../x", "/.", "/a/x/.", "/a/..",
        "/a/x?q=1", "/a/x#f", "/?q", "/#f", "//other.example/a/x", "/", "", "/a\\x", "/a:b",
        "/a/x\u007f", "/a/@x", "/a/x%", "a/x", "./x", "?q", "#f", "https://dic.pixiv.net/a/x",
        "javascript:void(0)", "/a/\ud83d\ude00", "https://www.pixiv.net/tags/%E3/artworks",
        "http://www.pixiv.net/a", "https://WWW.pixiv.net/a", "HTTPS://www.pixiv.net/a",
        "https://u@www.pixiv.net/a", "https://www.pixiv.net:443/a", "https://www.pixiv.net",
        "https://www.pixiv.net/", "https://www.pixiv.net/a/../b", "https://www.pixiv.net/a?b",
        "https:/a", "https:///a", "https://www.pixiv.net//a", "https://h_x/a", "ftp://h/a",
        "https://www.pixiv.net/あ", "https://[::1]/a", "https://x.y/a b");
    List<String> bases = List.of(BASE, "https://dic.pixiv.net", "http://dic.pixiv.net:8080/a/x",
        "https://user@dic.pixiv.net/a/x?q#f", "HTTPS://DIC.pixiv.net/a/x", "file:///tmp/x", "",
        "not a url", "https://dic.pixiv.net/a/x\u0001y", "https:///a/x", "https://[::1]:8/a");
    for (String base : bases) {
      Document doc = Jsoup.parse("", base);
      for (String href : hrefs) {
        Element a = doc.body().appendElement("a").attr("href", href);
        assertResolvesAsJsoup(a, "base '" + base + "'");
        assertResolvesAsJsoup(doc.body().appendElement("img").attr("src", href), base);
      }
      assertResolvesAsJsoup(doc.body().appendElement("a"), "no attribute, base " + base);
    }
  }

  @Test
  void documentsOfDifferentSitesResolveAgainstTheirOwnBaseInTurn() {
    Element first = Jsoup.parse("<a href=/a/x>x</a>", "https://dic.pixiv.net/a/y")
        .selectFirst("a");
    Element second = Jsoup.parse("<a href=/a/x>x</a>", "http://localhost:8080/a/y")
        .selectFirst("a");

    assertThat(LinkUrl.of(first, "href")).isEqualTo("https://dic.pixiv.net/a/x");
    assertThat(LinkUrl.of(second, "href")).isEqualTo("http://localhost:8080/a/x");
    assertThat(LinkUrl.of(first, "href")).isEqualTo("https://dic.pixiv.net/a/x");
  }
}
