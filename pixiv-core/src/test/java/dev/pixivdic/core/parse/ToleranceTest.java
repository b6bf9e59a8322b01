package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Markup noise that changes with every deploy of the site must not change the row: extra
 * wrapper elements, reordered attributes, new hashed class names, counts moved into links.
 */
class ToleranceTest {

  private static final ArticleParser PARSER = ArticleParser.create();

  static Stream<String> variants() {
    return Stream.of("wrappers", "reordered-attributes", "rehashed-classes", "count-links");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void aVariantOfThePageGivesTheSameRowAndProvenance(String variant) {
    ParseResult base = parse("article/current-dom-full");
    ParseResult other = parse("article/current-dom-tolerance-" + variant);
    assertThat(base.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(other.row()).isEqualTo(base.row());
    assertThat(other.provenance()).isEqualTo(base.provenance());
  }

  private static ParseResult parse(String name) {
    Map<String, GoldenCorpus.Case> byName = new java.util.HashMap<>();
    GoldenCorpus.cases().forEach(c -> byName.put(c.name(), c));
    GoldenCorpus.Case c = byName.get(name);
    assertThat(c).as("corpus case %s", name).isNotNull();
    return PARSER.parse(
        new Page(ArticleUrl.parse(c.url()), c.httpStatus(), c.contentType(), c.body()));
  }
}
