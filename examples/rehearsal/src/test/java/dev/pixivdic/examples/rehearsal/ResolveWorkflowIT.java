package dev.pixivdic.examples.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.examples.rehearsal.digdag.Session;
import dev.pixivdic.examples.rehearsal.digdag.Workflow;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One weekly run of {@code examples/digdag/pixiv_resolve_and_scraping.dig}: {@code +resolve} on the
 * Digdag host turns the names of the master table into article URLs, then {@code +scrape} launches
 * the Job that reads them.
 */
@ExtendWith(RehearsalExtension.class)
class ResolveWorkflowIT {

  static final String DATASET = "resolving";
  static final String RESOLVED = Rehearsal.table(DATASET, "pixiv_search_middle_class_ip_name_url");

  static Rehearsal r;
  static Workflow workflow;

  @BeforeAll
  static void load(Rehearsal rehearsal) throws Exception {
    r = rehearsal;
    workflow = Workflow.load(r.root.resolve("examples/digdag/pixiv_resolve_and_scraping.dig"));
  }

  @Test
  void namesAreResolvedThenEachArticleIsStoredOnceAndARetryAsksTheSiteNothing() throws Exception {
    List<String> names = r.seedNames(DATASET, 3);
    Map<String, String> titles = new LinkedHashMap<>();
    r.site.articles().forEach(a -> titles.put(a.url(), a.title()));
    Session session = Rehearsal.session(DATASET, 2, 2, 8);

    Map<String, Integer> codes = r.runSession(workflow, session);

    assertThat(codes)
        .containsExactly(
            Map.entry("+pixiv_resolve_and_scraping+resolve", 0),
            Map.entry("+pixiv_resolve_and_scraping+scrape", 0));
    List<Map<String, Object>> resolved = r.bq.rows(RESOLVED);
    assertThat(resolved)
        .extracting(row -> row.get("middle_class_ip_name"))
        .containsExactlyInAnyOrderElementsOf(names);
    assertThat(resolved).filteredOn(row -> row.get("url") == null).hasSize(3);
    assertThat(r.storedUrls(DATASET)).containsExactlyInAnyOrderElementsOf(titles.keySet());
    assertThat(r.bq.rows(Rehearsal.table(DATASET, "pixiv_detail_info")))
        .allSatisfy(
            row ->
                assertThat(row.get("middle_class_ip_name")).isEqualTo(titles.get(row.get("url"))));
    assertThat(r.wrongRows(DATASET)).isEmpty();

    Instant retried = Instant.now();
    Map<String, Integer> again = r.runSession(workflow, session);

    assertThat(again.values()).containsOnly(0);
    assertThat(r.site.hitsSince(retried)).noneMatch(h -> h.article() || h.search());
    assertThat(r.bq.rows(RESOLVED)).hasSize(names.size());
    assertThat(r.storedUrls(DATASET)).hasSize(titles.size());
  }
}
