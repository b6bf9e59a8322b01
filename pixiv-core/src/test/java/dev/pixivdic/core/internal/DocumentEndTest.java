package dev.pixivdic.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentEndTest {

  private static final String HTML = "text/html; charset=utf-8";

  /**
   * The verdict on the bytes (the fetcher's), which must be the verdict on a parse already made
   * (the parser's).
   */
  private static boolean cut(String body) {
    byte[] bytes = body.getBytes(UTF_8);
    boolean onBytes = DocumentEnd.cutShort(bytes, HTML);
    Document doc;
    try {
      doc = Jsoup.parse(new ByteArrayInputStream(bytes), "UTF-8", "", DocumentEnd.parser());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(DocumentEnd.cutShort(bytes, HTML, doc)).as("the verdict on the parse of %s", body)
        .isEqualTo(onBytes);
    if (DocumentEnd.surelyCut(bytes, HTML)) {
      assertThat(onBytes).as("surely cut: %s", body).isTrue();
    }
    return onBytes;
  }

  @Test
  void aDocumentThatEndsWithItsEndTagIsWhole() {
    assertThat(cut("<!DOCTYPE html><html lang=ja><body><p>1,234</p></body></html>")).isFalse();
    assertThat(cut("<HTML><BODY>x</BODY></HTML >\r\n\n")).isFalse();
    assertThat(cut("<html><body>x</body></html><!-- served by mirror 3 -->\n<!-- -->")).isFalse();
  }

  @Test
  void whateverFollowsTheDocumentsEndIsAccepted() {
    String page = "<!DOCTYPE html><html><head><title>t</title></head><body><ul><li>789</li></ul>"
        + "</body></html>";
    assertThat(cut(page + "\n<script src=\"/cdn-cgi/beacon.js\"></script>\n")).isFalse();
    assertThat(cut(page + "\nserved by mirror 3\n")).isFalse();
    assertThat(cut(page.replace("</html>", "</html foo=\"1\">"))).isFalse();
    assertThat(cut("<html><body></body></html><p>more</p>")).isFalse();
    assertThat(cut("<html><body>x</body></html></html>")).isFalse();
  }

  @Test
  void aWholePageWhoseTableHasNoEndTagIsWhole() {
    // The tree builder ignores </body> and </html> in a table or caption left open.
    assertThat(cut("<html><body><table><tr><td>789</td></tr></body></html>")).isFalse();
    assertThat(cut("<html><body><table><caption>789</body></html>\n")).isFalse();
    assertThat(cut("<!DOCTYPE html><html><body><table><tr><td>7</td></tr>")).isTrue();
    assertThat(cut("<html><body><table><tr><td>7</td></tr></body></html><div>more")).isTrue();
    assertThat(cut("<html><body><table><tr><td>7</td></tr></html><td><div>x</div>")).isTrue();
  }

  @Test
  void aDocumentCutAnywhereBeforeItsEndIsCut() {
    String page = "<!DOCTYPE html><html lang=ja><head><title>t</title></head>"
        + "<body><ul><li>789</li></ul><script>var x = 1;</script></body></html>";
    int end = page.indexOf("</html>") + "</html>".length();
    for (int n = page.indexOf("<html") + "<html".length(); n < end; n++) {
      assertThat(cut(page.substring(0, n))).as("cut at %d", n).isTrue();
    }
    assertThat(cut(page)).isFalse();
  }

  /** An {@code </html>} the tree builder reads as text, cut right after it. */
  @ParameterizedTest
  @ValueSource(strings = {
      "<a title=\"</html>", "<a title='</html>", "<a title=</html>", "<textarea></html>",
      "<xmp></html>", "<noscript></html>", "<title></html>", "<iframe></html>",
      "<noembed></html>", "<noframes></html>", "<plaintext></html>",
      "<svg><![CDATA[</html>", "<template></html>", "<template><div></html>",
      "<script>document.write('</html>')", "<style>/* </html> */", "<!-- </html>",
      "<div data-x=\"a > </html>"})
  void anEndTagReadAsTextIsNoEnd(String tail) {
    String head = "<!DOCTYPE html><html><head></head><body><div><ul><li>7</li></ul></div>";
    assertThat(cut(head + tail)).as(tail).isTrue();
    if (!tail.startsWith("<title")) {
      assertThat(cut("<!DOCTYPE html><html><head>" + tail)).as("in the head: %s", tail).isTrue();
    }
  }

  @Test
  void anEndTagReadAsTextStillEndsAWholeDocument() {
    assertThat(cut("<html><body><script>var s = '</html>';</script></body></html>")).isFalse();
    assertThat(cut("<html><body><!-- </html> --></body></html>")).isFalse();
    assertThat(cut("<html><body><a title=\"</html>\">x</a><textarea></html></textarea>"
        + "<template><div></div></template></body></html>")).isFalse();
  }

  @Test
  void aStrayEndTagInTheMiddleIsNoEndWhenAnElementIsOpenAtTheCut() {
    String page = "<!DOCTYPE html><html><body><p>a</p></html><div id=sibling_articles><ul>"
        + "<li>one</li><li>two</li></ul></div></body></html>";
    assertThat(cut(page)).isFalse();
    int end = page.lastIndexOf("</div>") + "</div>".length();
    assertThat(cut(page.substring(0, page.indexOf("<div")))).isFalse(); // nothing open
    for (int n = page.indexOf("<div") + 1; n < end; n++) {
      assertThat(cut(page.substring(0, n))).as("cut at %d", n).isTrue();
    }
  }

  @Test
  void elementsLeftOpenBeforeTheDocumentsEndAreClosedByIt() {
    // As the HTML standard reads it: so a page cut right after a stray </html> with elements
    // open cannot be told from this one.
    assertThat(cut("<!DOCTYPE html><html><body><div>x</div><div><span>y</body></html>"))
        .isFalse();
    assertThat(cut("<!DOCTYPE html><html><body><div>x</div><div><span>y</html>")).isFalse();
    assertThat(cut("<!DOCTYPE html><html><body><div>x</div><div><span>y</html><p>z")).isTrue();
  }

  @Test
  void aDocumentWithoutItsHtmlTagIsCutInsideAnElementOrTag() {
    String page = "<!doctype html><head><meta charset=utf-8><title>t</title></head><body>"
        + "<div class=counts><span class=works>789</span></div>";
    assertThat(cut(page)).isFalse();
    assertThat(cut(page + "</body>")).isFalse();
    assertThat(cut(page.substring(0, page.indexOf("789") + 1))).isTrue();
    for (int n = page.indexOf("<body>") + "<body>".length() + 1; n < page.length(); n++) {
      assertThat(cut(page.substring(0, n))).as("cut at %d", n).isTrue();
    }
    assertThat(cut("<!doctype html><head><meta property=og:description content=\"cu")).isTrue();
  }

  @Test
  void aFragmentIsCutInsideAnElementOrTag() {
    assertThat(cut("<h1 id=article-name>初音ミク</h1><ul><li>78")).isTrue();
    assertThat(cut("<h1 id=article-name>初音ミク</h1><ul><li>789</li></ul>")).isFalse();
    assertThat(cut("<h1 id=article-name>初音ミク</h1><p>789")).isFalse(); // p may be left open
    assertThat(cut("<p>before</p><html><body><p>cut")).isFalse();
    assertThat(cut("<htmlx></htmlx>")).isFalse();
  }

  @Test
  void anEndInsideATagOrCommentIsACutEvenAfterTheDocumentsEnd() {
    // The end of input inside a comment or tag is no page's end: the page is asked for again.
    assertThat(cut("<html><body>x</body></html>\n<!-- cut in a trailing comment")).isTrue();
    assertThat(cut("<html><body>x</body></html>\n<script>beacon(")).isTrue();
    assertThat(cut("<html><body>x</body></html>\n<img src=\"/b")).isTrue();
    assertThat(cut("<html><body>x</body></html><")).isTrue(); // the end before a tag's name
    assertThat(cut("<html><body></body></html-x>")).isTrue();
  }

  /**
   * Text before the doctype opens the body, and the tree builder merges the page's {@code <html>}
   * into the element it opened itself: the page is still judged by its {@code </html>}.
   */
  @ParameterizedTest
  @ValueSource(strings = {"x", "\0", "f79\r\n", "\u00a0", "{}",
      "Warning: Undefined variable $x in /srv/www/index.php on line 3<br>\n",
      "<br />\n<b>Notice</b>: on line <b>3</b><br />\n<!-- c -->\n"})
  void textBeforeTheDoctypeHidesNoCut(String before) {
    String plain = "<!DOCTYPE html>\n<!-- build 7 -->\n<html lang=\"ja\"><head>"
        + "<title>t</title><script id=\"__NEXT_DATA__\" type=\"application/json\">{\"a\":1}"
        + "</script></head><body><div><ul><li>789</li></ul><section><a href=\"/a/b\">b</a>"
        + "</section></div></body></html>";
    String page = before + plain;
    assertThat(cut(page)).isFalse();
    assertThat(cut(page + "\r\n")).isFalse();
    assertThat(cut(page + "\n<script src=\"/beacon.js\"></script>\n")).isFalse();
    assertThat(cut(page + "\n<!-- cut")).isTrue();
    // Once the doctype begins, every cut is judged as the page's without the text; from its
    // <html on (no prologue is whole), every cut is a cut.
    int html = page.indexOf("<html");
    for (int n = before.length() + "<!D".length(); n < page.length(); n++) {
      boolean verdict = cut(page.substring(0, n));
      assertThat(verdict).as("cut at %d", n)
          .isEqualTo(cut(plain.substring(0, n - before.length())));
      if (n > html) {
        assertThat(verdict).as("cut at %d", n).isTrue();
      }
    }
  }

  @Test
  void anHtmlTagAfterTextWithoutADoctypeIsAFragmentsStrayTag() {
    // JSON or text that quotes a tag, not a document: only a doctype after the text tells one.
    assertThat(cut("{\"tagName\": \"<html>\", \"abstract\": \"cut")).isFalse();
    assertThat(cut("<p>before</p><html><body><p>cut")).isFalse();
    assertThat(cut("<p>before</p><!DOCTYPE html><html><body><p>cut</p></body>")).isTrue();
    assertThat(cut("<p>before</p><!DOCTYPE html><br><html><body><p>cut</p></body>")).isFalse();
    assertThat(cut("x<!DOCTYPE html><script>'<html>'</script><p>cut</p>")).isFalse();
    assertThat(DocumentEnd.surelyCut("x<!DOCTYPE html><html><body><p>7".getBytes(UTF_8), HTML))
        .isTrue();
    assertThat(DocumentEnd.surelyCut("x<html><body><p>7".getBytes(UTF_8), HTML)).isFalse();
  }

  @Test
  void aBodyThatIsNoMarkupSaysNothing() {
    assertThat(cut("")).isFalse();
    assertThat(cut("  \n")).isFalse();
    assertThat(cut("{\"tagName\": \"<html>\", \"abstract\": \"<div>cut")).isFalse();
    assertThat(cut("[\"<div>")).isFalse();
    assertThat(cut("plain text <div> cut")).isFalse();
    assertThat(cut("\ufeff<!-- x --> <!DOCTYPE html>\n<html><body><p>cut")).isTrue();
  }

  @Test
  void aPageWithMoreParseErrorsThanKeptIsJudgedByItsElements() {
    String errors = "</x>".repeat(DocumentEnd.MAX_ERRORS + 1);
    assertThat(cut("<!doctype html><body>" + errors + "<div>x</div>")).isFalse();
    assertThat(cut("<!doctype html><body>" + errors + "<div>x")).isTrue();
    assertThat(cut("<html><body>" + errors + "</body></html>")).isFalse();
    assertThat(cut("<html><body>" + errors + "</body>")).isTrue();
  }

  @Test
  void onlyAParseThatKeptWhatTheVerdictNeedsCanBeAsked() {
    Document plain = Jsoup.parse("<html><body>x</body></html>");
    assertThatThrownBy(() -> DocumentEnd.cutShort(new byte[] {'<'}, HTML, plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DocumentEnd.parser()");
  }

  @Test
  void surelyCutIsSaidOnlyOfABodyWithoutAnyEndTag() {
    assertThat(DocumentEnd.surelyCut("<html><body><p>7".getBytes(UTF_8), HTML)).isTrue();
    assertThat(DocumentEnd.surelyCut("<html><body><a title=\"</html>".getBytes(UTF_8), HTML))
        .isFalse();
    assertThat(DocumentEnd.surelyCut("<!doctype html><body><p>7".getBytes(UTF_8), HTML))
        .isFalse();
    assertThat(DocumentEnd.surelyCut("{\"<html>\": 1".getBytes(UTF_8), HTML)).isFalse();
  }

  @Test
  void wideCharsetsAreReadAsTheirCharacters() {
    String whole = "<html><body>初音ミク</body></html>";
    String cutOne = "<html><body>初音ミク</bo";
    String cutTwo = "<html><body><a title=\"</html>";
    byte[] bom = {(byte) 0xfe, (byte) 0xff};
    byte[] wholeUtf16 = concat(bom, whole.getBytes(StandardCharsets.UTF_16BE));
    byte[] cutUtf16 = concat(bom, cutOne.getBytes(StandardCharsets.UTF_16BE));
    assertThat(DocumentEnd.cutShort(wholeUtf16, null)).isFalse();
    assertThat(DocumentEnd.cutShort(cutUtf16, "text/html; charset=utf-8")).isTrue();
    assertThat(DocumentEnd.cutShort(concat(bom, cutTwo.getBytes(StandardCharsets.UTF_16BE)),
        null)).isTrue();
    assertThat(DocumentEnd.cutShort(whole.getBytes(StandardCharsets.UTF_16LE),
        "text/html; charset=UTF-16LE")).isFalse();
    assertThat(DocumentEnd.cutShort(cutOne.getBytes(StandardCharsets.UTF_16LE),
        "text/html; charset=\"utf-16le\"")).isTrue();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
