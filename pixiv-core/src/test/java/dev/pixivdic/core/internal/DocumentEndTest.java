package dev.pixivdic.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentEndTest {

  private static boolean cut(String body) {
    return DocumentEnd.cutShort(body.getBytes(UTF_8), "text/html; charset=utf-8");
  }

  @Test
  void aDocumentThatEndsWithItsEndTagIsWhole() {
    assertThat(cut("<!DOCTYPE html><html lang=ja><body><p>1,234</p></body></html>")).isFalse();
    assertThat(cut("<HTML><BODY>x</BODY></HTML >\r\n\n")).isFalse();
    assertThat(cut("<html><body>x</body></html><!-- served by mirror 3 -->\n<!-- -->")).isFalse();
    assertThat(cut("<html><body>x</body></html>\n<!-- cut in a trailing comment")).isFalse();
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

  @Test
  void anEndTagInsideACommentScriptOrStyleIsNoEnd() {
    assertThat(cut("<html><body><!-- </html>")).isTrue();
    assertThat(cut("<html><body><script>document.write('</html>')")).isTrue();
    assertThat(cut("<html><body><style>/* </html> */")).isTrue();
    assertThat(cut("<html><body><script>var s = '</html>';</script></body></html>")).isFalse();
    assertThat(cut("<html><body><!-- </html> --></body></html>")).isFalse();
  }

  @Test
  void contentAfterTheEndTagMeansTheEndWasNotTheEnd() {
    assertThat(cut("<html><body></body></html><p>more</p>")).isTrue();
    assertThat(cut("<html><body></body></html-x>")).isTrue();
  }

  @Test
  void aBodyThatNeverOpensADocumentSaysNothing() {
    assertThat(cut("")).isFalse();
    assertThat(cut("<h1 id=article-name>初音ミク</h1><ul><li>78")).isFalse();
    assertThat(cut("{\"tagName\": \"<html>\", \"abstract\": \"cut")).isFalse();
    assertThat(cut("<htmlx>")).isFalse();
    assertThat(cut("<p>before</p><html><body><p>cut")).isFalse();
    assertThat(cut("\ufeff<!-- x --> <!DOCTYPE html>\n<html><body><p>cut")).isTrue();
  }

  @Test
  void wideCharsetsAreReadAsTheirCharacters() {
    String whole = "<html><body>初音ミク</body></html>";
    String cutOne = "<html><body>初音ミク</bo";
    byte[] bom = {(byte) 0xfe, (byte) 0xff};
    byte[] wholeUtf16 = concat(bom, whole.getBytes(StandardCharsets.UTF_16BE));
    byte[] cutUtf16 = concat(bom, cutOne.getBytes(StandardCharsets.UTF_16BE));
    assertThat(DocumentEnd.cutShort(wholeUtf16, null)).isFalse();
    assertThat(DocumentEnd.cutShort(cutUtf16, "text/html; charset=utf-8")).isTrue();
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
