package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.internal.RowJson;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenCorpusTest {

  private static final ArticleParser PARSER = ArticleParser.create();

  static Stream<GoldenCorpus.Case> cases() {
    return GoldenCorpus.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyCorpusPageParsesToItsExpectedResult(GoldenCorpus.Case c) {
    if (c.kind() == GoldenCorpus.Kind.SEARCH_HTML) {
      checkSearch(c);
    } else {
      checkArticle(c);
    }
  }

  @Test
  void theCorpusCoversTheRequiredShapes() {
    List<GoldenCorpus.Case> all = GoldenCorpus.cases();
    assertThat(all).hasSizeGreaterThanOrEqualTo(30);
    List<String> outcomes = all.stream()
        .filter(c -> c.kind() != GoldenCorpus.Kind.SEARCH_HTML)
        .map(c -> c.expected().path("outcome").asText()).distinct().toList();
    assertThat(outcomes).containsExactlyInAnyOrder(
        "ARTICLE", "NOT_FOUND", "BLOCKED", "MAINTENANCE", "UNRECOGNIZED");
    assertThat(all).anyMatch(c -> c.body().length > 2_000_000);
    assertThat(all).anyMatch(c -> c.kind() == GoldenCorpus.Kind.ARTICLE_API);
    assertThat(all).anyMatch(c -> c.kind() == GoldenCorpus.Kind.SEARCH_HTML);
  }

  private static void checkArticle(GoldenCorpus.Case c) {
    JsonNode e = c.expected();
    ArticleUrl url = ArticleUrl.parse(c.url());
    ParseResult r = c.kind() == GoldenCorpus.Kind.ARTICLE_API
        ? PARSER.parseApi(url, c.httpStatus(), c.getArticleJson(), c.getArticleInfoJson())
        : PARSER.parse(new Page(url, c.httpStatus(), c.contentType(), c.body()));
    assertThat(r.outcome()).as("outcome of %s (detail: %s)", c, r.detail())
        .isEqualTo(Outcome.valueOf(e.path("outcome").asText()));
    JsonNode row = e.get("row");
    if (row == null || row.isNull()) {
      assertThat(r.row()).as("row of %s", c).isEmpty();
    } else {
      ArticleRow expected = RowJson.read(row.toString());
      if (expected.contentHash() == null && expected.status() == Outcome.ARTICLE) {
        expected = expected.toBuilder().contentHash(ContentHash.of(expected)).build();
      }
      assertThat(r.row()).as("row of %s", c).isPresent();
      assertThat(RowJson.write(r.row().orElseThrow())).as("row of %s", c)
          .isEqualTo(RowJson.write(expected));
    }
    JsonNode prov = e.get("provenance");
    if (prov != null) {
      Map<String, Strategy> want = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> p : prov.properties()) {
        want.put(p.getKey(), Strategy.valueOf(p.getValue().asText()));
      }
      assertThat(r.provenance()).as("provenance of %s", c).containsAllEntriesOf(want);
    }
    List<String> disagreed = new ArrayList<>();
    e.path("disagreements").forEach(d -> disagreed.add(d.asText()));
    assertThat(r.disagreements()).as("disagreements of %s (detail: %s)", c, r.detail())
        .extracting(Disagreement::column).containsExactlyElementsOf(disagreed);
    JsonNode detail = e.get("detail_contains");
    if (detail != null) {
      assertThat(r.detail()).as("detail of %s", c).contains(detail.asText());
    }
  }

  private static void checkSearch(GoldenCorpus.Case c) {
    JsonNode e = c.expected();
    SearchResult r = SearchPageParser.create()
        .parse(URI.create(c.url()), c.httpStatus(), c.contentType(), c.body());
    assertThat(r.kind()).as("kind of %s (detail: %s)", c, r.detail())
        .isEqualTo(SearchResult.Kind.valueOf(e.path("kind").asText()));
    assertThat(r.page()).as("page of %s", c).isEqualTo(e.path("page").asInt());
    assertThat(r.totalHits()).as("total of %s", c).isEqualTo(longOrNull(e.get("total_hits")));
    List<SearchHit> hits = new ArrayList<>();
    for (JsonNode h : e.path("hits")) {
      List<String> related = new ArrayList<>();
      h.path("related").forEach(x -> related.add(x.asText()));
      hits.add(new SearchHit(h.path("title").asText(), ArticleUrl.parse(h.path("url").asText()),
          textOrNull(h.get("summary")), longOrNull(h.get("view_count")),
          longOrNull(h.get("works_count")), longOrNull(h.get("checklist_count")),
          h.hasNonNull("updated") ? Instant.parse(h.get("updated").asText()) : null, related));
    }
    assertThat(r.hits()).as("hits of %s", c).containsExactlyElementsOf(hits);
  }

  private static Long longOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asLong();
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
