package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableResult;
import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trend views answer analysts' questions from the rows the sink stored: the stand-in
 * evaluates the views' SQL with ZetaSQL over the held rows, and the queries go through the
 * real client as an analyst's would.
 */
class TrendViewsIT {

  static final TableRef DEST = TableRef.parse("bq:test-project.ds.pixiv_detail_info");
  static final String RISING = "上昇";
  static final String STEADY = "定番";

  BigQueryStandIn standIn;
  BigQueryConnection bq;

  @BeforeEach
  void start() throws IOException {
    standIn = BigQueryStandIn.start();
    bq = BigQueryConnection.create(Optional.of(standIn.endpoint()), Optional.of("US"),
        "test-project", BigQueryRetry.fixed(2, Duration.ofMillis(1)));
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  @Test
  void theSinkCreatesBothViewsAfterTheFirstRowsAreStored() throws IOException {
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).trendViews(true).build();
    assertThat(standIn.hasTable("test-project.ds.pixiv_detail_info_weekly")).isFalse();

    sink.write(List.of(row(RISING, "2026-11-02T01:00:00Z", 100L, 1L)));

    assertThat(standIn.hasTable("test-project.ds.pixiv_detail_info_latest")).isTrue();
    assertThat(standIn.hasTable("test-project.ds.pixiv_detail_info_weekly")).isTrue();
    int statements = standIn.statements().size();
    sink.write(List.of(row(STEADY, "2026-11-02T02:00:00Z", 10L, 1L)));
    assertThat(standIn.statements()).as("the views are made once per sink").hasSize(statements);
  }

  @Test
  void aViewThatCannotBeMadeLeavesTheStoredBatchStoredAndTheWriteSucceeding() throws IOException {
    // A table made by a person, view_count as text: the load converts, the weekly view's
    // subtraction cannot. The rows are in the table; the write must not say they were lost.
    standIn.createTable("test-project.ds.pixiv_detail_info", List.of(
        dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.string("title"),
        dev.pixivdic.bigquery.testing.Column.string("view_count"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).trendViews(true).build();

    sink.write(List.of(row(RISING, "2026-11-02T01:00:00Z", 100L, 1L)));
    int statements = standIn.statements().size();
    sink.write(List.of(row(STEADY, "2026-11-02T02:00:00Z", 10L, 1L)));

    assertThat(standIn.rows("test-project.ds.pixiv_detail_info")).hasSize(2);
    assertThat(standIn.hasTable("test-project.ds.pixiv_detail_info_weekly")).isFalse();
    assertThat(standIn.statements()).as("tried once a sink, not once a batch")
        .hasSize(statements);
  }

  @Test
  void aViewNamedAsTheDestinationIsRefusedBeforeAnythingIsFetchedOrLoaded() throws IOException {
    BigQuerySink.builder(bq, DEST).build()
        .write(List.of(row(RISING, "2026-11-02T01:00:00Z", 100L, 1L)));
    TableRef view = TableRef.parse("bq:test-project.ds.pixiv_last_scraped");
    BigQueryTables.createLastScrapedView(bq, DEST, view);
    BigQuerySink intoView = BigQuerySink.builder(bq, view).build();

    // stored() is what a run (and its dry run) asks first, before any request to the site.
    assertThatThrownBy(() -> intoView.stored(dev.pixivdic.core.Shard.ALL, Instant.EPOCH))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessage("bq:test-project.ds.pixiv_last_scraped is a view, not a table: rows are loaded"
            + " into a table; name one, or let the run create it");
    assertThatThrownBy(() -> BigQuerySink.builder(bq, view).build()
        .write(List.of(row(STEADY, "2026-11-02T02:00:00Z", 10L, 1L))))
        .isInstanceOf(BigQueryRejectedException.class).hasMessageContaining("is a view");
    assertThat(standIn.loadJobs()).isEqualTo(1);
  }

  @Test
  void weeklyViewGivesTheWeeksNewestCountsAndNullChangeAcrossAMissingWeek() throws IOException {
    history();

    List<Map<String, Object>> weeks = query(
        "SELECT * FROM `test-project.ds.pixiv_detail_info_weekly` "
        + "WHERE url = @url ORDER BY week", ArticleUrl.ofTitle(RISING).canonical());

    assertThat(weeks).extracting(w -> w.get("iso_week")).containsExactly("45", "46", "48");
    assertThat(weeks).extracting(w -> w.get("week"))
        .containsExactly("2026-11-02", "2026-11-09", "2026-11-23");
    // Week 46: the newest of its two rows, one of them on Monday 01:30 in Tokyo (Sunday in UTC).
    assertThat(weeks).extracting(w -> w.get("view_count")).containsExactly("100", "150", "300");
    assertThat(weeks).extracting(w -> w.get("view_count_change"))
        .containsExactly(null, "50", null);
    assertThat(weeks).extracting(w -> w.get("checklist_count_change"))
        .containsExactly(null, "2", null);
  }

  @Test
  void aMissingCountGivesANullChangeAndNotFoundRowsAreNotWeeks() throws IOException {
    history();

    List<Map<String, Object>> steady = query(
        "SELECT * FROM `test-project.ds.pixiv_detail_info_weekly` "
        + "WHERE url = @url ORDER BY week", ArticleUrl.ofTitle(STEADY).canonical());
    assertThat(steady).extracting(w -> w.get("view_count_change")).containsExactly(null, "15");
    assertThat(steady).extracting(w -> w.get("comment_count")).containsExactly("3", null);
    assertThat(steady).extracting(w -> w.get("comment_count_change")).containsExactly(null, null);
    assertThat(query("SELECT * FROM `test-project.ds.pixiv_detail_info_weekly` WHERE url = @url",
        ArticleUrl.ofTitle("消えた").canonical())).isEmpty();
  }

  @Test
  void latestViewHoldsTheNewestRowOfEachUrl() throws IOException {
    history();

    List<Map<String, Object>> latest = query("SELECT url, view_count, status, loaded_at "
        + "FROM `test-project.ds.pixiv_detail_info_latest` ORDER BY url");

    assertThat(latest).hasSize(3);
    Map<String, Map<String, Object>> byUrl = new LinkedHashMap<>();
    latest.forEach(r -> byUrl.put((String) r.get("url"), r));
    assertThat(byUrl.get(ArticleUrl.ofTitle(RISING).canonical()).get("view_count"))
        .isEqualTo("300");
    assertThat(byUrl.get(ArticleUrl.ofTitle(STEADY).canonical()).get("view_count")).isEqualTo("25");
    assertThat(byUrl.get(ArticleUrl.ofTitle("消えた").canonical()).get("status"))
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void theDocumentedFastestRisingQueryAnswersFromTheWeeklyView() throws IOException {
    history();

    List<Map<String, Object>> top = query("SELECT title, SUM(view_count_change) AS gained "
        + "FROM `test-project.ds.pixiv_detail_info_weekly` "
        + "WHERE week >= DATE_SUB(DATE '2026-11-23', INTERVAL 4 WEEK) "
        + "GROUP BY title ORDER BY gained DESC LIMIT 10");

    assertThat(top).extracting(r -> r.get("title")).containsExactly(RISING, STEADY);
    assertThat(top).extracting(r -> r.get("gained")).containsExactly("50", "15");
  }

  /** Four weeks of two articles, week 47 missing for the rising one, and a vanished article. */
  private void history() throws IOException {
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).trendViews(true).build();
    sink.write(List.of(
        row(RISING, "2026-11-02T01:00:00Z", 100L, 10L),
        row(RISING, "2026-11-08T16:30:00Z", 140L, 11L),   // Monday 01:30 in Tokyo: week 46
        row(RISING, "2026-11-09T03:00:00Z", 150L, 12L),
        row(RISING, "2026-11-23T03:00:00Z", 300L, 20L),
        row(STEADY, "2026-11-02T02:00:00Z", 10L, 1L),
        ArticleRow.builder(ArticleUrl.ofTitle(STEADY)).title(STEADY).viewCount(25L)
            .checklistCount(1L).worksCount(5L)
            .loadedAt(Instant.parse("2026-11-09T02:00:00Z")).build(),
        ArticleRow.builder(ArticleUrl.ofTitle("消えた")).status(Outcome.NOT_FOUND)
            .loadedAt(Instant.parse("2026-11-09T02:00:00Z")).build()));
  }

  private static ArticleRow row(String title, String loadedAt, long views, long checklists) {
    return ArticleRow.builder(ArticleUrl.ofTitle(title)).title(title).viewCount(views)
        .worksCount(5L).commentCount(3L).checklistCount(checklists)
        .loadedAt(Instant.parse(loadedAt)).build();
  }

  /** Runs a query, with a STRING parameter {@code @url} if given; values as BigQuery's strings. */
  private List<Map<String, Object>> query(String sql, String... url) throws IOException {
    TableResult result;
    QueryJobConfiguration.Builder config = QueryJobConfiguration.newBuilder(sql);
    for (String u : url) {
      config.addNamedParameter("url", com.google.cloud.bigquery.QueryParameterValue.string(u));
    }
    try {
      result = bq.bigQuery().query(config.build());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("query interrupted");
    }
    List<String> names = result.getSchema().getFields().stream().map(f -> f.getName()).toList();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FieldValueList values : result.iterateAll()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (String n : names) {
        FieldValue v = values.get(n);
        row.put(n, v.isNull() ? null : v.getStringValue());
      }
      rows.add(row);
    }
    return rows;
  }
}
