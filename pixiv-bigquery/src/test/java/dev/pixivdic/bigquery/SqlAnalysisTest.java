package dev.pixivdic.bigquery;

import static dev.pixivdic.bigquery.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.LegacySQLTypeName;
import dev.pixivdic.bigquery.internal.ArticleCodec;
import dev.pixivdic.bigquery.internal.ResolutionCodec;
import dev.pixivdic.bigquery.testing.BigQuerySql;
import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.bigquery.testing.Column;
import dev.pixivdic.bigquery.testing.Statement;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.resolve.ResolutionRow;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SQL statement pixiv-bigquery can send is analyzed by ZetaSQL, BigQuery's own analyzer,
 * with BigQuery's language features, against a catalog of the real table schemas: the
 * destination from {@code RowSchema}, the resolution table from {@code ResolutionCodec}, the
 * ledger from {@code RunLedger.SCHEMA}, and the source tables' documented columns. The
 * statements are the ones the code really sends: each path runs against the BigQuery stand-in,
 * which records the requests of the real client, parameters and their types included.
 */
class SqlAnalysisTest {

  static final String P = "test-project";
  static final TableRef SOURCE =
      TableRef.parse("bq:test-project.ds.pixiv_search_middle_class_ip_name_url");
  static final TableRef DEST = TableRef.parse("bq:test-project.ds.pixiv_detail_info");
  static final TableRef VIEW = DEST.sibling("pixiv_detail_info_last_scraped");
  static final TableRef WEEKLY = DEST.sibling("pixiv_detail_info_weekly");
  static final TableRef NAMES = TableRef.parse("bq:test-project.ds.ip_master");
  static final TableRef RESOLVED = TableRef.parse("bq:test-project.ds.resolved");
  static final TableRef LEDGER = DEST.sibling(RunLedger.DEFAULT_TABLE);
  static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

  static BigQueryStandIn standIn;
  /** Each statement the code sent, under the name of the path that sent it. */
  static final Map<String, Statement> SENT = new LinkedHashMap<>();

  @BeforeAll
  static void sendEveryStatement() throws IOException {
    standIn = BigQueryStandIn.start();
    // The source tables as docs/migration.md and docs/resolve.md describe them.
    standIn.createTable(id(SOURCE), List.of(Column.string("middle_class_ip_name"),
        Column.string("clean_middle_class_ip_name"), Column.string("URL"),
        Column.string("pixiv_search_result_ip"), Column.of("search_hit_num", "INTEGER"),
        Column.of("update", "TIMESTAMP")));
    standIn.insert(id(SOURCE), List.of(Map.of("URL", "https://dic.pixiv.net/a/A",
        "middle_class_ip_name", "ip A")));
    standIn.createTable(id(NAMES), List.of(Column.string("middle_class_ip_name"),
        Column.string("category")));
    standIn.insert(id(NAMES), List.of(Map.of("middle_class_ip_name", " 初音ミク ",
        "category", "music")));
    BigQueryConnection bq = connection(standIn.endpoint());
    Shard shard = new Shard(0, 1);

    sent("article source without the anti-join (no destination yet)", () -> drain(
        source(bq).items(shard)));
    BigQuerySink append = BigQuerySink.builder(bq, DEST).lastScrapedView(VIEW).build();
    sent("article sink stored() before the destination exists", () -> append.stored(shard, NOW));
    sent("article sink write: the view DDL", () -> append.write(List.of(row("A", 1))));
    sent("article sink stored()", () -> append.stored(shard, NOW));
    sent("article source with the anti-join", () -> drain(source(bq).items(shard)));
    BigQuerySink trends = BigQuerySink.builder(bq, DEST).trendViews(true).build();
    sent("article sink write: the trend views", () -> trends.write(List.of(row("C", 3))));
    BigQuerySink merge = BigQuerySink.builder(bq, DEST).mode(BigQuerySink.Mode.MERGE)
        .runId("run-1").shard(shard).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    merge.write(List.of(row("B", 2)));
    sent("merge", merge::close);

    sent("names source without the anti-join (no resolution table yet)", () -> drain(
        names(bq).items(shard)));
    BigQueryResolutionSink resolutions = BigQueryResolutionSink.create(bq, RESOLVED, 1L << 30);
    resolutions.write(List.of(new ResolutionRow("初音ミク", "初音ミク",
        "https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF", "初音ミク", 3L, NOW,
        ResolutionRow.Status.MATCHED, 1, "run-1", "test", Map.of("category", "music"))));
    sent("resolution sink stored()", () -> resolutions.stored(shard, NOW));
    sent("names source with the anti-join", () -> drain(names(bq).items(shard)));
    sent("ledger", () -> RunLedger.create(bq, LEDGER).record(
        RunRecord.builder("run-1", "scrape", 0, 1).startedAt(NOW).finishedAt(NOW).build()));
  }

  @AfterAll
  static void stop() {
    standIn.close();
  }

  @FunctionalInterface
  interface Call {
    void run() throws IOException;
  }

  /** Runs a path and names the statements it sent, in order. */
  static void sent(String path, Call call) throws IOException {
    int before = standIn.statements().size();
    call.run();
    List<Statement> now = standIn.statements();
    for (int i = before; i < now.size(); i++) {
      SENT.put(path + (now.size() - before > 1 ? " #" + (i - before + 1) : ""), now.get(i));
    }
    if (now.size() == before) {
      SENT.put(path + " (no SQL)", null);
    }
  }

  static void drain(Stream<?> s) {
    try (s) {
      s.forEach(x -> { });
    }
  }

  static String id(TableRef t) {
    return t.project() + "." + t.dataset() + "." + t.table();
  }

  static BigQueryConnection connection(URI endpoint) throws IOException {
    return BigQueryConnection.create(Optional.of(endpoint), Optional.of("US"), P,
        BigQueryRetry.fixed(1, Duration.ofMillis(1)));
  }

  static BigQuerySource source(BigQueryConnection bq) {
    return BigQuerySource.builder(bq, SOURCE).urlColumn("url")
        .passThroughColumns(List.of("middle_class_ip_name", "clean_middle_class_ip_name"))
        .skipStoredIn(DEST, Duration.ofDays(7)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  static BigQueryNameSource names(BigQueryConnection bq) {
    return BigQueryNameSource.builder(bq, NAMES).passThroughColumns(List.of("category"))
        .skipResolvedIn(RESOLVED, Duration.ofDays(7)).clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  /** The catalog: the real schemas from the code, the source tables as documented. */
  static Map<String, List<Column>> catalog() {
    Map<String, List<Column>> tables = new LinkedHashMap<>();
    List<Column> articles = columns(LoadSchema.ours(ArticleCodec.INSTANCE.fields(),
        List.of("clean_middle_class_ip_name")).getFields());
    tables.put(id(DEST), articles);
    tables.put(id(DEST.sibling("pixiv_detail_info_staging_run-1_0of1")), articles);
    tables.put(id(VIEW), List.of(Column.string("url"), Column.of("last_scraped_at", "TIMESTAMP")));
    List<Column> resolution = new ArrayList<>(columns(ResolutionCodec.INSTANCE.fields()));
    resolution.add(Column.string("category"));
    tables.put(id(RESOLVED), resolution);
    tables.put(id(LEDGER), columns(RunLedger.SCHEMA.getFields()));
    tables.put(id(SOURCE), List.of(Column.string("middle_class_ip_name"),
        Column.string("clean_middle_class_ip_name"), Column.string("URL"),
        Column.string("pixiv_search_result_ip"), Column.of("search_hit_num", "INTEGER"),
        Column.of("update", "TIMESTAMP")));
    tables.put(id(NAMES), List.of(Column.string("middle_class_ip_name"),
        Column.string("category")));
    return tables;
  }

  static List<Column> columns(List<Field> fields) {
    return fields.stream().map(f -> new Column(f.getName(), legacy(f.getType()),
        f.getMode() == Field.Mode.REPEATED)).toList();
  }

  static String legacy(LegacySQLTypeName t) {
    return t.name();
  }

  @Test
  void everyPathThatSendsSqlWasRun() {
    assertThat(SENT.keySet()).containsExactly(
        "article source without the anti-join (no destination yet)",
        "article sink stored() before the destination exists (no SQL)",
        "article sink write: the view DDL",
        "article sink stored()",
        "article source with the anti-join",
        "article sink write: the trend views #1",
        "article sink write: the trend views #2",
        "merge",
        "names source without the anti-join (no resolution table yet)",
        "resolution sink stored()",
        "names source with the anti-join",
        "ledger (no SQL)");
    assertThat(SENT.get("article sink write: the view DDL").sql()).startsWith("CREATE VIEW");
    assertThat(SENT.get("article source with the anti-join").sql()).contains("NOT EXISTS");
    assertThat(SENT.get("article sink write: the trend views #1").sql())
        .startsWith("CREATE VIEW IF NOT EXISTS `test-project.ds.pixiv_detail_info_latest`");
    assertThat(SENT.get("article sink write: the trend views #2").sql())
        .startsWith("CREATE VIEW IF NOT EXISTS `test-project.ds.pixiv_detail_info_weekly`");
    assertThat(SENT.get("names source with the anti-join").sql()).contains("NOT EXISTS");
    assertThat(SENT.get("merge").sql()).startsWith("MERGE");
  }

  @Test
  void everyStatementAnalyzesAgainstTheRealSchemasWithTheParameterTypesSent() {
    List<String> failures = new ArrayList<>();
    SENT.forEach((path, statement) -> {
      if (statement != null) {
        BigQuerySql.analysisError(statement.sql(), statement.parameterTypes(), catalog())
            .ifPresent(e -> failures.add(path + ": " + e + "\n" + statement.sql()));
      }
    });
    assertThat(failures).as("statements BigQuery's analyzer refuses").isEmpty();
    assertThat(SENT.get("article source with the anti-join").parameterTypes())
        .containsEntry("shard_count", "INT64").containsEntry("shard_index", "INT64")
        .containsEntry("since", "TIMESTAMP").containsEntry("until", "TIMESTAMP");
    assertThat(SENT.get("article sink stored()").parameterTypes())
        .containsEntry("until", "TIMESTAMP");
    assertThat(SENT.get("article sink stored()").sql()).contains("d.loaded_at <= @until");
    assertThat(SENT.get("article source with the anti-join").sql())
        .contains("d.loaded_at <= @until");
  }

  @Test
  void aMisspelledColumnFailsTheAnalysisWithZetaSqlsMessage() {
    Statement stored = SENT.get("article sink stored()");
    String misspelled = stored.sql().replace("d.loaded_at", "d.loadedat");
    assertThat(misspelled).isNotEqualTo(stored.sql());

    assertThat(BigQuerySql.analysisError(misspelled, stored.parameterTypes(), catalog()))
        .hasValueSatisfying(e -> assertThat(e).contains("loadedat"));
  }

  @Test
  void aSourceColumnTheTableLacksIsRefusedByTheStandInAsBigQueryWould() throws IOException {
    BigQuerySource bad = BigQuerySource.builder(connection(standIn.endpoint()), SOURCE)
        .urlColumn("url").passThroughColumns(List.of("middle_class_ip_nam")).build();

    assertThatThrownBy(() -> drain(bad.items(new Shard(0, 1))))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("middle_class_ip_nam");
  }

  @Test
  void theExampleQuestionsOfTheDocsAnalyzeAgainstTheWeeklyView() throws IOException {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "bigquery.md"));
    String section = doc.substring(doc.indexOf("## Trend views"));
    int start = section.indexOf("```sql") + "```sql".length();
    String sql = section.substring(start, section.indexOf("```", start));
    List<String> queries = java.util.Arrays.stream(sql.split(";"))
        .map(String::strip).filter(q -> !q.isEmpty())
        .map(q -> q.replace("my-project.pixiv.pixiv_detail_info_weekly", id(WEEKLY))).toList();
    Map<String, List<Column>> catalog = catalog();
    List<Column> weekly = new ArrayList<>(List.of(Column.string("url"), Column.of("week", "DATE"),
        Column.of("iso_year", "INTEGER"), Column.of("iso_week", "INTEGER"), Column.string("title"),
        Column.of("loaded_at", "TIMESTAMP")));
    for (String count : TrendViews.COUNTS) {
      weekly.add(Column.of(count, "INTEGER"));
      weekly.add(Column.of(count + "_change", "INTEGER"));
    }
    catalog.put(id(WEEKLY), weekly);

    assertThat(queries).hasSize(3).allSatisfy(q ->
        assertThat(BigQuerySql.analysisError(q, Map.of(), catalog)).as(q).isEmpty());
  }

  @Test
  void theWeeklyViewFailsTheAnalysisWhenTheTableLacksACountItReads() {
    String weekly = SENT.get("article sink write: the trend views #2").sql();
    Map<String, List<Column>> catalog = catalog();
    catalog.put(id(DEST), catalog.get(id(DEST)).stream()
        .filter(c -> !c.name().equals("checklist_count")).toList());

    assertThat(BigQuerySql.analysisError(weekly, Map.of(), catalog))
        .hasValueSatisfying(e -> assertThat(e).contains("checklist_count"));
  }

  @Test
  void aParameterDeclaredWithAnotherTypeFailsTheAnalysis() {
    Statement stored = SENT.get("resolution sink stored()");
    Map<String, String> types = new LinkedHashMap<>(stored.parameterTypes());
    types.put("since", "INT64");

    assertThat(BigQuerySql.analysisError(stored.sql(), types, catalog())).isPresent();
  }
}
