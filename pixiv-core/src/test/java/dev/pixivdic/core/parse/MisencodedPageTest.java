package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A page whose bytes are not in the charset it is labelled with gives no row with mojibake: bytes
 * that are well-formed UTF-8 are read as UTF-8 whatever the label says, and bytes malformed in
 * the charset they are read in give no article (UNRECOGNIZED, so the drift guard counts them).
 * Shift_JIS bytes labelled UTF-8 were stored with U+FFFD in the reading, and UTF-8 bytes
 * labelled ISO-8859-1 with {@code ã²ã¼ã} breadcrumbs.
 */
class MisencodedPageTest {

  private static final ArticleParser PARSER = ArticleParser.create();
  private static final Charset SJIS = Charset.forName("Shift_JIS");

  private static ParseResult parse(GoldenCorpus.Case c, String contentType, byte[] body) {
    return PARSER.parse(new Page(ArticleUrl.parse(c.url()), 200, contentType, body));
  }

  private static ArticleRow utf8Row(GoldenCorpus.Case c) {
    return parse(c, "text/html; charset=utf-8", c.body()).row().orElseThrow();
  }

  @Test
  void shiftJisBytesLabelledUtf8GiveNoRowOnEitherPath() {
    for (String name : new String[] {"article/current-dom-title-cplusplus",
        "article/current-dom-full", "article/legacy-full", "article/current-nextdata-full"}) {
      GoldenCorpus.Case c = corpus(name);
      byte[] sjis = new String(c.body(), StandardCharsets.UTF_8).getBytes(SJIS);
      Page page = new Page(ArticleUrl.parse(c.url()), 200, "text/html; charset=UTF-8", sjis);

      for (ParseResult r : new ParseResult[] {PARSER.parse(page), PARSER.parseWhole(page)}) {
        assertThat(r.outcome()).as(name).isEqualTo(Outcome.UNRECOGNIZED);
        assertThat(r.row()).isEmpty();
        assertThat(r.detail()).contains("not well-formed UTF-8");
      }
    }
  }

  @Test
  void aMalformedByteAnywhereInAPageWithNextDataGetsTheFullPathsAnswer() {
    // The fast path's scan checks the bytes as it passes them: a stray continuation byte or a
    // sequence cut short in a tag, a text, the prose, the JSON or at the end is seen as well.
    GoldenCorpus.Case c = corpus("article/current-nextdata-full");
    byte[] ok = c.body();
    for (byte[] bad : new byte[][] {{(byte) 0x80}, {(byte) 0xE3, (byte) 0x81}}) {
      for (int at = 0; at <= ok.length; at += 97) {
        byte[] body = Arrays.copyOf(ok, ok.length + bad.length);
        System.arraycopy(bad, 0, body, at, bad.length);
        System.arraycopy(ok, at, body, at + bad.length, ok.length - at);
        Page page = new Page(ArticleUrl.parse(c.url()), 200, "text/html; charset=utf-8", body);

        ParseResult fast = PARSER.parse(page);

        assertThat(fast).as("at %d", at).isEqualTo(PARSER.parseWhole(page));
        assertThat(fast.outcome()).as("at %d", at).isEqualTo(Outcome.UNRECOGNIZED);
        assertThat(fast.detail()).contains("not well-formed UTF-8");
      }
    }
  }

  @Test
  void utf8BytesAreReadAsUtf8WhateverTheLabelSays() {
    for (String name : new String[] {"article/current-dom-full", "article/legacy-full",
        "article/current-nextdata-full"}) {
      GoldenCorpus.Case c = corpus(name);
      ArticleRow expected = utf8Row(c);
      assertThat(parse(c, "text/html; charset=ISO-8859-1", c.body()).row()).as(name)
          .contains(expected);
      assertThat(parse(c, "text/html; charset=Shift_JIS", c.body()).row()).as(name)
          .contains(expected);
      byte[] metaSjis = new String(c.body(), StandardCharsets.UTF_8)
          .replaceFirst("(?i)<head>", "<head><meta charset=\"Shift_JIS\">")
          .getBytes(StandardCharsets.UTF_8);
      assertThat(parse(c, null, metaSjis).row()).as(name + ", meta charset").contains(expected);
    }
  }

  @Test
  void shiftJisBytesLabelledShiftJisAreRead() {
    GoldenCorpus.Case c = corpus("article/legacy-full");
    ArticleRow expected = utf8Row(c);
    byte[] sjis = new String(c.body(), StandardCharsets.UTF_8).getBytes(SJIS);

    ParseResult r = parse(c, "text/html; charset=Shift_JIS", sjis);

    assertThat(r.row()).as(r.detail()).contains(expected);
  }

  @Test
  void shiftJisAndEucJpPagesWithTheVendorExtensionsAreRead() {
    GoldenCorpus.Case c = corpus("article/legacy-full");
    String html = new String(c.body(), StandardCharsets.UTF_8)
        .replace("<p>ポケットモンスターに登場するポケモン。</p>",
            "<p>①ポケットモンスターに登場する㈱ポケモンⅠ。</p>");
    for (String charset : new String[] {"Shift_JIS", "x-sjis", "MS932", "EUC-JP"}) {
      Charset encoder = Charset.forName(charset.equals("EUC-JP") ? "x-eucJP-Open" : "MS932");
      byte[] body = html.getBytes(encoder);
      byte[] meta = html.replaceFirst("(?i)<head>", "<head><meta charset=\"" + charset + "\">")
          .getBytes(encoder);

      for (ParseResult r : new ParseResult[] {
          parse(c, "text/html; charset=" + charset, body), parse(c, null, meta)}) {
        assertThat(r.row()).as(charset + ": " + r.detail()).isPresent();
        assertThat(r.row().orElseThrow().summary()).as(charset)
            .startsWith("①ポケットモンスターに登場する㈱ポケモンⅠ。");
      }
    }
  }
}
