package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A page that starts with a byte order mark, and a {@code __NEXT_DATA__} script whose text does:
 * both paths read them as the page without the mark, and a page whose mark names another
 * charset than UTF-8 is left to the full path.
 */
class ByteOrderMarkTest {

  private static final ArticleParser PARSER = ArticleParser.create();
  private static final String UTF8 = "text/html; charset=utf-8";
  private static final GoldenCorpus.Case NEXT = corpus("article/current-nextdata-full");
  private static final byte[] UTF8_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static Page page(byte[] body) {
    return new Page(ArticleUrl.parse(NEXT.url()), 200, UTF8, body);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static ArticleRow expected() {
    return PARSER.parseWhole(page(NEXT.body())).row().orElseThrow();
  }

  @Test
  void aPageStartingWithAUtf8MarkTakesTheFastPathAndGivesThePagesRow() {
    Page marked = page(concat(UTF8_MARK, NEXT.body()));

    ParseResult whole = PARSER.parseWhole(marked);
    assertThat(PARSER.parseSkeleton(marked)).as("the fast path").isNotNull().isEqualTo(whole);
    assertThat(PARSER.parse(marked)).isEqualTo(whole);
    assertThat(whole.row()).contains(expected());
  }

  @Test
  void aNextDataScriptStartingWithAMarkGivesTheSameRowOnBothPaths() {
    String html = new String(NEXT.body(), StandardCharsets.UTF_8);
    int open = html.indexOf('>', html.indexOf("id=\"__NEXT_DATA__\"")) + 1;
    Page marked = page((html.substring(0, open) + "\uFEFF" + html.substring(open))
        .getBytes(StandardCharsets.UTF_8));

    ParseResult whole = PARSER.parseWhole(marked);
    assertThat(PARSER.parseSkeleton(marked)).as("the fast path").isNotNull().isEqualTo(whole);
    assertThat(whole.row()).contains(expected());
    assertThat(whole.provenance()).containsEntry("article_id", Strategy.NEXT_DATA);
  }

  @Test
  void aPageWhoseMarkNamesAnotherCharsetIsReadInItByTheFullPath() {
    String html = new String(NEXT.body(), StandardCharsets.UTF_8);
    for (String name : List.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
      Page marked = page(("\uFEFF" + html).getBytes(Charset.forName(name)));

      assertThat(PARSER.parseSkeleton(marked)).as(name).isNull();
      assertThat(PARSER.parse(marked)).as(name).isEqualTo(PARSER.parseWhole(marked));
      assertThat(PARSER.parse(marked).row()).as(name).contains(expected());
    }
  }
}
