package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pages that lie about or fumble their encoding: {@link Html#parse} decoding a page declared
 * UTF-8 in one piece builds the DOM that jsoup's streamed decoding builds from the same bytes
 * and content type, whatever the page says about its charset and whatever bytes it holds.
 */
@Timeout(60)
class HtmlHostileTest {

  private static final String BASE = "https://dic.pixiv.net/a/x";
  /** Content types the one-piece decoding takes, and how jsoup is told the charset. */
  private static final Map<String, String> DECLARED_UTF8 = new LinkedHashMap<>();

  static {
    DECLARED_UTF8.put("text/html; charset=utf-8", "utf-8");
    DECLARED_UTF8.put("text/html;charset=UTF8", "UTF8");
    DECLARED_UTF8.put("text/html; charset=\"UTF-8\"", "UTF-8");
    DECLARED_UTF8.put("text/html; charset=utf-8; charset=Shift_JIS", "utf-8");
  }

  private static void assertSameDom(byte[] body, String what) {
    for (Map.Entry<String, String> type : DECLARED_UTF8.entrySet()) {
      Document expected;
      try {
        expected = Jsoup.parse(new ByteArrayInputStream(body), type.getValue(), BASE);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      Document onePiece = Html.parse(body, type.getKey(), BASE);
      Document streamed = Html.parse(body, type.getKey(), BASE, false);
      String as = what + " served as " + type.getKey();
      assertThat(onePiece.outerHtml()).as(as).isEqualTo(expected.outerHtml());
      assertThat(onePiece.charset()).as(as).isEqualTo(expected.charset());
      assertThat(streamed.outerHtml()).as(as).isEqualTo(expected.outerHtml());
    }
  }

  private static byte[] bytes(String s, Charset charset) {
    return s.getBytes(charset);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] of(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void charsetsDeclaredLateTwiceOrAgainstTheContentTypeChangeNothing() {
    Charset sjis = Charset.forName("Shift_JIS");
    String body = "<body><p>初音ミクの記事</p></body></html>";
    String filler = "<!-- " + "x".repeat(1100) + " -->";
    Map<String, byte[]> pages = new LinkedHashMap<>();
    pages.put("meta Shift_JIS", bytes("<html><head><meta charset=Shift_JIS><title>初音ミク"
        + "</title></head>" + body, sjis));
    pages.put("meta after 1024 bytes", bytes("<html><head>" + filler
        + "<meta charset=Shift_JIS><title>初音ミク</title></head>" + body, sjis));
    pages.put("meta twice", bytes("<html><head><meta charset=utf-8><meta charset=Shift_JIS>"
        + "<title>初音ミク</title></head>" + body, StandardCharsets.UTF_8));
    pages.put("http-equiv", bytes("<html><head><meta http-equiv=Content-Type content='text/html;"
        + " charset=EUC-JP'><title>初音ミク</title></head>" + body, Charset.forName("EUC-JP")));
    pages.put("XML declaration", bytes("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>"
        + "<html><head><title>初音ミク</title></head>" + body, sjis));
    pages.put("XML declaration in UTF-8", bytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
        + "<html><head><title>初音ミク</title></head>" + body, StandardCharsets.UTF_8));
    pages.put("UTF-16BE BOM", bytes("\uFEFF<html><head><title>初音ミク</title></head>" + body,
        StandardCharsets.UTF_16BE));
    pages.put("UTF-16LE without BOM", bytes("<html><head><title>初音ミク</title></head>" + body,
        StandardCharsets.UTF_16LE));
    pages.put("UTF-8 BOM after white space", concat(bytes(" ", StandardCharsets.UTF_8),
        of(0xef, 0xbb, 0xbf), bytes("<title>初音ミク</title>" + body, StandardCharsets.UTF_8)));
    pages.put("UTF-8 BOM twice", concat(of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf),
        bytes("<title>初音ミク</title>" + body, StandardCharsets.UTF_8)));
    for (Map.Entry<String, byte[]> page : pages.entrySet()) {
      assertSameDom(page.getValue(), page.getKey());
    }
  }

  @Test
  void nulsCarriageReturnsSurrogatesAndOverlongFormsGiveJsoupsDom() {
    String head = "<html><head><title>初音\rミク</title></head><body>";
    List<byte[]> hostile = List.of(of(0), of(0, 0, 0), of('\r'), of('\r', '\r', '\n'),
        of(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80), of(0xed, 0xb8, 0x80), of(0xed, 0xa0, 0xbd),
        of(0xc0, 0xaf), of(0xc1, 0xbf), of(0xe0, 0x80, 0xaf), of(0xe0, 0x9f, 0xbf),
        of(0xf0, 0x80, 0x80, 0xaf), of(0xf0, 0x8f, 0xbf, 0xbf), of(0xf4, 0x90, 0x80, 0x80),
        of(0xef, 0xbf, 0xbe), of(0xef, 0xbb, 0xbf), of(0xc2, 0x85), of(0xe2, 0x80, 0xa8));
    String[] contexts = {"<p>%s</p>", "<p title=\"%s\">t</p>", "<script>var s='%s';</script>",
        "<textarea>%s</textarea>", "<!--%s-->", "<p>&#%s;</p>", "<%sp>x</p>",
        "<script id=\"__NEXT_DATA__\" type=\"application/json\">{\"a\":\"%s\"}</script>"};
    for (String context : contexts) {
      String[] around = context.split("%s", -1);
      for (byte[] bad : hostile) {
        byte[] page = concat(bytes(head + around[0], StandardCharsets.UTF_8), bad,
            bytes(around[1] + "\r<p>後\r\n</p></body></html>", StandardCharsets.UTF_8));
        assertSameDom(page, java.util.Arrays.toString(bad) + " in " + context);
        // At the very start, where a byte order mark would be looked for.
        assertSameDom(concat(bad, page), java.util.Arrays.toString(bad) + " first");
        // Cut off at the very end.
        assertSameDom(concat(page, bad), java.util.Arrays.toString(bad) + " last");
      }
    }
  }
}
