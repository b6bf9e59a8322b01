package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.internal.SourceUrls;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link BigQuerySource#CANONICAL} decides which shard reads a source URL: every canonical URL
 * matches it, and a URL that matches it is its own canonical URL (or no article URL), so no
 * spelling of an article is read by another shard than its canonical URL. The query tests it
 * with RE2; the source reads it again with {@link BigQuerySource#canonicalSpelling}, which
 * must agree with the pattern on every string.
 */
class CanonicalPatternTest {

  private static final Pattern CANONICAL = Pattern.compile(BigQuerySource.CANONICAL);
  private static final String PIECES = "aZ09-._~%2e%2E%41%C3%A9%c3%a9%E2%80%94%20%7E%7F%40%2F"
      + "/?#é 記+'";

  @Test
  void everyCanonicalUrlMatches() {
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder title = new StringBuilder();
      for (int j = 1 + random.nextInt(8); j > 0; j--) {
        title.appendCodePoint(1 + random.nextInt(0x2FFFF));
      }
      Optional<ArticleUrl> url = SourceUrls.tryParse(
          "https://dic.pixiv.net/a/" + ArticleUrl.percentEncode(title.toString()));
      url.ifPresent(u -> assertThat(CANONICAL.matcher(u.canonical()).matches())
          .as(u.canonical()).isTrue());
      url.ifPresent(u -> assertThat(BigQuerySource.canonicalSpelling(u.canonical()))
          .as(u.canonical()).isTrue());
    }
  }

  @Test
  void aMatchingArticleUrlIsItsOwnCanonicalUrl() {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder raw = new StringBuilder("https://dic.pixiv.net/a/");
      for (int j = 1 + random.nextInt(6); j > 0; j--) {
        int at = random.nextInt(PIECES.length());
        raw.append(PIECES.charAt(at) == '%' && at + 2 < PIECES.length()
            ? PIECES.substring(at, at + 3) : PIECES.substring(at, at + 1));
      }
      String s = raw.toString();
      assertThat(BigQuerySource.canonicalSpelling(s)).as(s)
          .isEqualTo(CANONICAL.matcher(s).matches());
      if (CANONICAL.matcher(s).matches()) {
        SourceUrls.tryParse(s).ifPresent(u -> assertThat(u.canonical()).isEqualTo(s));
      }
    }
  }

  @Test
  void otherSpellingsDoNotMatch() {
    String c = ArticleUrl.ofTitle("初音ミク").canonical();
    for (String s : new String[] {c.replace("https:", "http:"), c + "/", c + "?a=1", c + "#x",
        c.toLowerCase(java.util.Locale.ROOT).replace("dic.pixiv.net", "dic.pixiv.net"),
        "https://dic.pixiv.net/a/初音ミク", "https://DIC.pixiv.net/a/A", " " + c,
        "https://dic.pixiv.net/a/%41", "https://dic.pixiv.net:443/a/A"}) {
      assertThat(CANONICAL.matcher(s).matches()).as(s).isFalse();
      assertThat(BigQuerySource.canonicalSpelling(s)).as(s).isFalse();
    }
  }

  @Test
  void theReadingAgreesWithThePatternOnEveryEscapeAndEdge() {
    for (int b = 0; b < 256; b++) {
      for (String hex : new String[] {String.format("%02X", b), String.format("%02x", b)}) {
        String s = "https://dic.pixiv.net/a/A%" + hex;
        assertThat(BigQuerySource.canonicalSpelling(s)).as(s)
            .isEqualTo(CANONICAL.matcher(s).matches());
      }
      String raw = "https://dic.pixiv.net/a/" + (char) b;
      assertThat(BigQuerySource.canonicalSpelling(raw)).as(raw)
          .isEqualTo(CANONICAL.matcher(raw).matches());
    }
    for (String s : new String[] {"https://dic.pixiv.net/a/", "https://dic.pixiv.net/a/%",
        "https://dic.pixiv.net/a/%4", "https://dic.pixiv.net/a/A%2", "https://dic.pixiv.net/a",
        "", "https://dic.pixiv.net/a/%%20", "xhttps://dic.pixiv.net/a/A"}) {
      assertThat(BigQuerySource.canonicalSpelling(s)).as(s)
          .isEqualTo(CANONICAL.matcher(s).matches());
    }
  }

  @Test
  void aTitleOfThousandsOfCharactersIsReadWithoutOverflowingTheStack() {
    // java.util.regex overflowed the stack on these (one frame per repetition of the group).
    String japanese = ArticleUrl.ofTitle("とある" + "長いタイトルの作品".repeat(300)).canonical();
    String ascii = ArticleUrl.ofTitle("x".repeat(100_000)).canonical();
    assertThat(BigQuerySource.canonicalSpelling(japanese)).isTrue();
    assertThat(BigQuerySource.canonicalSpelling(ascii)).isTrue();
    assertThat(BigQuerySource.canonicalSpelling(ascii + "%41")).isFalse();
  }
}
