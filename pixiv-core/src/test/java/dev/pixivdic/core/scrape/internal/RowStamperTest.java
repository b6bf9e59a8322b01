package dev.pixivdic.core.scrape.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.core.parse.Disagreement;
import dev.pixivdic.core.parse.ParseResult;
import dev.pixivdic.core.parse.Strategy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RowStamperTest {

  @Test
  void sourceColumnsNamedLikeRowColumnsDoNotRepeatThemAndTheRowsOwnValuesWin() {
    ArticleUrl url = ArticleUrl.ofTitle("初音ミク");
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("middle_class_ip_name", "初音ミク");
    attributes.put("status", "MATCHED");
    attributes.put("run_id", "resolve-run");
    attributes.put("scraper_version", "0.0.1");
    attributes.put("pixiv_search_result_ip", "初音ミク");
    ParseResult parsed = new ParseResult(Outcome.ARTICLE,
        Optional.of(ArticleRow.builder(url).title("初音ミク").build()), Map.of(), "ok");
    RowStamper stamper = new RowStamper("scrape-run",
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    ArticleRow row = stamper.toProcessed(new WorkItem(url, attributes), parsed).rows().get(0);

    assertThat(row.middleClassIpName()).isEqualTo("初音ミク");
    assertThat(row.runId()).isEqualTo("scrape-run");
    assertThat(row.status()).isEqualTo(Outcome.ARTICLE);
    assertThat(row.passThrough()).containsExactly(Map.entry("pixiv_search_result_ip", "初音ミク"));
    String json = RowJson.write(row);
    assertThat(json.split("\"run_id\"", -1)).hasSize(2);
    assertThat(json.split("\"status\"", -1)).hasSize(2);
  }

  @Test
  void theColumnsTheParsersStrategiesDisagreedOnReachTheEngine() {
    ArticleUrl url = ArticleUrl.ofTitle("初音ミク");
    ParseResult parsed = new ParseResult(Outcome.ARTICLE,
        Optional.of(ArticleRow.builder(url).title("初音ミク").build()),
        Map.of("title", Strategy.DOM), "ok", List.of(new Disagreement("works_count",
            Map.of(Strategy.NEXT_DATA, "12", Strategy.DOM, "345680"))));
    RowStamper stamper = new RowStamper("scrape-run", Clock.systemUTC());

    assertThat(stamper.toProcessed(new WorkItem(url, Map.of()), parsed).disagreements())
        .containsExactly("works_count");
  }
}
