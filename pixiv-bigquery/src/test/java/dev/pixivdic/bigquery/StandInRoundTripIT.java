package dev.pixivdic.bigquery;

import static dev.pixivdic.bigquery.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.bigquery.testing.Column;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.WorkItem;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source, the sinks and the stand-in together: what the sink loads is what the stand-in
 * holds, and what the source reads back is computed from it (shard filter, anti-join, paging).
 */
class StandInRoundTripIT {

  static final TableRef SOURCE = TableRef.parse("bq:test-project.ds.src");
  static final String DEST_ID = "test-project.ds.pixiv_detail_info";
  static final TableRef DEST = TableRef.parse("bq:" + DEST_ID);
  static final Instant NOW = Fixtures.LOADED.plus(Duration.ofHours(1));

  BigQueryStandIn standIn;
  BigQueryConnection bq;

  @BeforeEach
  void start() throws IOException {
    standIn = BigQueryStandIn.start();
    bq = BigQueryConnection.create(Optional.of(standIn.endpoint()), Optional.of("US"),
        "test-project", BigQueryRetry.fixed(2, Duration.ofMillis(1)));
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Map<String, String> r = new HashMap<>();
      r.put("URL", ArticleUrl.ofTitle("T" + i).canonical());
      r.put("middle_class_ip_name", "ip " + i);
      rows.add(r);
    }
    standIn.seed("test-project.ds.src", rows);
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  List<WorkItem> read(Shard shard) throws IOException {
    BigQuerySource source = BigQuerySource.builder(bq, SOURCE).pageSize(4)
        .skipStoredIn(DEST, Duration.ofDays(7)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    try (Stream<WorkItem> s = source.items(shard)) {
      return s.toList();
    }
  }

  @Test
  void shardsReadInPagesAreDisjointCompleteAndEqualToJavasShardOfEachUrl() throws IOException {
    List<WorkItem> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Shard shard = new Shard(i, 3);
      List<WorkItem> items = read(shard);
      assertThat(items).allSatisfy(w -> assertThat(shard.contains(w.key())).isTrue());
      all.addAll(items);
    }
    assertThat(all).hasSize(30).doesNotHaveDuplicates();
    assertThat(all).anySatisfy(w ->
        assertThat(w.attributes()).containsEntry("middle_class_ip_name", "ip 7"));
  }

  @Test
  void aUrlListedTwiceKeepsItsPassThroughValueWhereOneOfItsRowsHasNone() throws IOException {
    String url = ArticleUrl.ofTitle("T1").canonical();
    Map<String, String> empty = new HashMap<>();
    empty.put("URL", url);
    empty.put("middle_class_ip_name", null);
    standIn.seed("test-project.ds.twice", List.of(empty,
        Map.of("URL", url, "middle_class_ip_name", "ip 1"), empty));
    BigQuerySource source = BigQuerySource.builder(bq, SOURCE.sibling("twice")).build();

    List<WorkItem> items;
    try (Stream<WorkItem> s = source.items(Shard.ALL)) {
      items = s.toList();
    }

    assertThat(items).singleElement().satisfies(w -> assertThat(w.attributes())
        .containsEntry("middle_class_ip_name", "ip 1"));
    assertThat(source.duplicateUrls()).isEqualTo(2);
  }

  @Test
  void whatTheSinkLoadedIsHeldAndLeftOutByTheAntiJoinAndCountedByStored() throws IOException {
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      sink.write(List.of(row("T1", 10), row("T2", 20)));
      assertThat(standIn.rows("test-project.ds.pixiv_detail_info"))
          .extracting(r -> r.get("url"))
          .containsExactly(ArticleUrl.ofTitle("T1").canonical(),
              ArticleUrl.ofTitle("T2").canonical());
      assertThat(standIn.rows("test-project.ds.pixiv_detail_info").get(0).get("loaded_at"))
          .isEqualTo(Fixtures.LOADED);
      assertThat(sink.stored(new Shard(0, 1), NOW.minus(Duration.ofDays(7)))
          .contains(ArticleUrl.ofTitle("T1").canonical())).isTrue();
      assertThat(sink.stored(new Shard(0, 1), NOW).contains(ArticleUrl.ofTitle("T1").canonical()))
          .as("a row older than the window is not stored").isFalse();
    }
    assertThat(read(new Shard(0, 1))).hasSize(28).noneMatch(w ->
        w.key().equals(ArticleUrl.ofTitle("T1").canonical()));
  }

  /** A row stamped years ahead (a writer's clock, an edit) kept its article fresh for ever. */
  @Test
  void aRowStampedFurtherAheadThanClockSkewIsNeitherStoredNorLeftOutByTheAntiJoin()
      throws IOException {
    ArticleRow future = row("T1", 10).toBuilder().loadedAt(Instant.parse("2099-01-01T00:00:00Z"))
        .build();
    ArticleRow skewed = row("T2", 20).toBuilder().loadedAt(NOW.plus(Duration.ofHours(2))).build();
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      sink.write(List.of(future, skewed, row("T3", 30)));
      var stored = sink.stored(new Shard(0, 1), NOW.minus(Duration.ofDays(7)));
      assertThat(stored.contains(ArticleUrl.ofTitle("T1").canonical())).isFalse();
      assertThat(stored.contains(ArticleUrl.ofTitle("T2").canonical())).isTrue();
      assertThat(stored.contains(ArticleUrl.ofTitle("T3").canonical())).isTrue();
    }
    assertThat(read(new Shard(0, 1))).extracting(WorkItem::key).hasSize(28)
        .contains(ArticleUrl.ofTitle("T1").canonical())
        .doesNotContain(ArticleUrl.ofTitle("T2").canonical(), ArticleUrl.ofTitle("T3").canonical());
  }

  @Test
  void mergeModeKeepsOneRowPerUrlAndDropsItsStagingTable() throws IOException {
    for (int run = 0; run < 2; run++) {
      try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).mode(BigQuerySink.Mode.MERGE)
          .runId("run-" + run).shard(new Shard(0, 1)).build()) {
        sink.write(List.of(row("T1", 10 + run), row("T2", 20)));
      }
    }
    assertThat(standIn.rows("test-project.ds.pixiv_detail_info")).hasSize(2)
        .extracting(r -> r.get("view_count")).containsExactlyInAnyOrder(10L, 20L);
    assertThat(standIn.hasTable("test-project.ds.pixiv_detail_info_staging_run-0_0of1"))
        .isFalse();
  }

  @Test
  void mergeModeKeepsAPassThroughColumnThatALaterBatchLacks() throws IOException {
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).mode(BigQuerySink.Mode.MERGE)
        .runId("run-0").shard(new Shard(0, 1)).build()) {
      sink.write(List.of(row("T1", 1).toBuilder().passThrough("category", "A").build()));
      sink.write(List.of(row("T2", 2)));
    }
    assertThat(standIn.rows("test-project.ds.pixiv_detail_info")).hasSize(2)
        .anySatisfy(r -> assertThat(r).containsEntry("url", ArticleUrl.ofTitle("T1").canonical())
            .containsEntry("category", "A"))
        .anySatisfy(r -> {
          assertThat(r).containsEntry("url", ArticleUrl.ofTitle("T2").canonical());
          assertThat(r.get("category")).isNull();
        });
  }

  @Test
  void aMergeAddsTheOneColumnItStagedThoughAnotherShardAddedOneMeanwhile() throws IOException {
    mergeWhileAnotherShardAddsAColumn("category");
  }

  @Test
  void aMergeAddsTheColumnsItStagedAndKeepsTheOneAnotherShardAddedMeanwhile()
      throws IOException {
    mergeWhileAnotherShardAddsAColumn("category", "genre");
  }

  /**
   * A merge-mode sink stages rows with pass-through columns the destination lacks; before it
   * closes, another shard's load adds a column of its own to the destination.
   */
  private void mergeWhileAnotherShardAddsAColumn(String... staged) throws IOException {
    ArticleRow.Builder withColumns = row("T1", 1).toBuilder();
    for (String c : staged) {
      withColumns.passThrough(c, c + " of T1");
    }
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).mode(BigQuerySink.Mode.MERGE)
        .runId("run-0").shard(new Shard(0, 2)).build()) {
      sink.write(List.of(withColumns.build()));
      try (BigQuerySink other = BigQuerySink.builder(bq, DEST).build()) {
        other.write(List.of(row("T2", 2).toBuilder().passThrough("other", "x").build()));
      }
    }

    assertThat(standIn.columns(DEST_ID)).extracting(Column::name).contains("other")
        .contains(staged);
    assertThat(standIn.rows(DEST_ID)).hasSize(2).anySatisfy(r -> {
      assertThat(r).containsEntry("title", "T1");
      for (String c : staged) {
        assertThat(r).containsEntry(c, c + " of T1");
      }
    });
  }

  @Test
  void mergeModeIntoADestinationWithFlexibleColumnNamesMergesEveryRow() throws IOException {
    // BigQuery's flexible column names: the destination's own, which our rows leave empty.
    createDestination(Field.of("url", StandardSQLTypeName.STRING),
        Field.of("loaded_at", StandardSQLTypeName.TIMESTAMP),
        Field.of("メモ", StandardSQLTypeName.STRING),
        Field.of("last-note", StandardSQLTypeName.STRING),
        Field.of("a b&c", StandardSQLTypeName.STRING));

    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).mode(BigQuerySink.Mode.MERGE)
        .runId("run-0").shard(new Shard(0, 1)).build()) {
      sink.write(List.of(row("T1", 10), row("T2", 20)));
    }

    assertThat(standIn.rows(DEST_ID)).extracting(r -> r.get("view_count"))
        .containsExactlyInAnyOrder(10L, 20L);
    assertThat(standIn.rows(DEST_ID)).allSatisfy(r -> assertThat(r).containsKeys("メモ",
        "last-note", "a b&c"));
    assertThat(standIn.hasTable("test-project.ds.pixiv_detail_info_staging_run-0_0of1"))
        .isFalse();
  }

  @Test
  void aDatetimeColumnOfTheDestinationTakesATimeOnTheMinute() throws IOException {
    createDestination(Field.of("url", StandardSQLTypeName.STRING),
        Field.of("loaded_at", StandardSQLTypeName.TIMESTAMP),
        Field.of("updated_at", StandardSQLTypeName.DATETIME));

    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      sink.write(List.of(row("T1", 1).toBuilder()
          .updatedAt(Instant.parse("2024-06-01T03:34:00Z")).build()));
    }

    assertThat(standIn.rows(DEST_ID)).singleElement().satisfies(r -> assertThat(r)
        .containsEntry("updated_at", java.time.LocalDateTime.parse("2024-06-01T03:34:00")));
  }

  @Test
  void theSameBatchIntoTablesOfOneNameInTwoDatasetsIsStoredInBoth() throws IOException {
    TableRef other = TableRef.parse("bq:test-project.other.pixiv_detail_info");
    List<ArticleRow> batch = List.of(row("T1", 1), row("T2", 2));
    for (TableRef dest : List.of(DEST, other)) {
      try (BigQuerySink sink = BigQuerySink.builder(bq, dest).build()) {
        sink.write(batch);
      }
    }
    assertThat(standIn.rows("test-project.ds.pixiv_detail_info")).hasSize(2);
    assertThat(standIn.rows("test-project.other.pixiv_detail_info")).hasSize(2);
  }

  @Test
  void theLastScrapedViewAnswersFromTheTableBeneathIt() throws IOException {
    TableRef view = DEST.sibling("pixiv_detail_info_last_scraped");
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).lastScrapedView(view).build()) {
      sink.write(List.of(row("T1", 10)));
    }
    assertThat(standIn.table("test-project.ds.pixiv_detail_info_last_scraped"))
        .hasValueSatisfying(t -> assertThat(t.path("type").asText()).isEqualTo("VIEW"));
    assertThat(standIn.rows("test-project.ds.pixiv_detail_info_last_scraped")).isEmpty();
  }

  @Test
  void aLastScrapedViewTheAccountMayNotCreateNeitherLosesNorBlocksABatch() throws IOException {
    // dataEditor on the destination table alone: the table is there, nothing else may be made.
    try (BigQuerySink first = BigQuerySink.builder(bq, DEST).build()) {
      first.write(List.of(row("T0", 1)));
    }
    standIn.denyTableCreation("test-project.ds");
    TableRef view = DEST.sibling("pixiv_detail_info_last_scraped");

    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).lastScrapedView(view).build()) {
      sink.write(List.of(row("T1", 10)));
      sink.write(List.of(row("T2", 20)));
    }

    assertThat(standIn.rows(DEST_ID)).extracting(r -> r.get("title"))
        .containsExactly("T0", "T1", "T2");
    assertThat(standIn.hasTable("test-project.ds.pixiv_detail_info_last_scraped")).isFalse();
    assertThat(standIn.statements()).as("tried once, after the first batch was stored")
        .singleElement().satisfies(st -> assertThat(st.sql()).startsWith("CREATE VIEW"));
    assertThat(standIn.jobs()).filteredOn(j -> j.path("configuration").has("query"))
        .singleElement().satisfies(j -> assertThat(j.path("status").path("errorResult")
            .path("reason").asText()).isEqualTo("accessDenied"));
  }

  @Test
  void aDestinationWhoseColumnsTheSkipQueryCannotCompareIsRefusedByStoredNamingTheColumn()
      throws IOException {
    standIn.createTable("test-project.ds.pixiv_detail_info", List.of(Column.of("url", "INTEGER"),
        Column.of("loaded_at", "TIMESTAMP")));
    standIn.createTable("test-project.ds.resolved", List.of(Column.string("middle_class_ip_name"),
        Column.string("update")));
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).build();
    BigQueryResolutionSink names =
        BigQueryResolutionSink.create(bq, DEST.sibling("resolved"), 1L << 30);

    assertThatThrownBy(() -> sink.stored(Shard.ALL, Fixtures.LOADED))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageStartingWith("table bq:test-project.ds.pixiv_detail_info has column 'url' as"
            + " INTEGER: the query that skips what the table holds reads it as STRING");
    assertThatThrownBy(() -> names.stored(Shard.ALL, Fixtures.LOADED))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("has column 'update' as STRING")
        .hasMessageContaining("reads it as TIMESTAMP");
    assertThat(standIn.statements()).as("no query was sent").isEmpty();
  }

  @Test
  void aDestinationInADatasetThatDoesNotExistIsRefusedByStoredBeforeAnythingIsFetched()
      throws IOException {
    standIn.deleteDataset("test-project.gone");
    BigQuerySink sink = BigQuerySink.builder(bq, TableRef.parse("bq:test-project.gone.t")).build();

    assertThatThrownBy(() -> sink.stored(Shard.ALL, Fixtures.LOADED))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessage("dataset test-project.gone of bq:test-project.gone.t does not exist: a run"
            + " makes tables, not datasets; create it (bq mk --dataset --location=LOCATION"
            + " test-project:gone), or name a table in another dataset");
    assertThat(BigQuerySink.builder(bq, DEST).build().stored(Shard.ALL, Fixtures.LOADED)
        .contains(ArticleUrl.ofTitle("T1").canonical()))
        .as("a missing table in a dataset that exists holds nothing").isFalse();
  }

  private void createDestination(Field... fields) {
    bq.bigQuery().create(com.google.cloud.bigquery.TableInfo.of(
        com.google.cloud.bigquery.TableId.of("test-project", "ds", "pixiv_detail_info"),
        com.google.cloud.bigquery.StandardTableDefinition.of(
            com.google.cloud.bigquery.Schema.of(fields))));
  }

  private static Field required(String name, StandardSQLTypeName type) {
    return Field.newBuilder(name, type).setMode(Field.Mode.REQUIRED).build();
  }

  /** A destination holding {@code url} and {@code loaded_at} NOT NULL, and {@code also}. */
  private void createDestinationRequiring(Field also) {
    createDestination(required("url", StandardSQLTypeName.STRING),
        required("loaded_at", StandardSQLTypeName.TIMESTAMP), also);
  }

  /** What the sink's {@code stored()} is refused with. */
  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> refusal(
      BigQuerySink sink) {
    return assertThatThrownBy(() -> sink.stored(Shard.ALL, Fixtures.LOADED))
        .isInstanceOf(BigQueryRejectedException.class);
  }

  /**
   * A table made by hand with a NOT NULL column that some rows leave empty took every row but
   * refused the first load, after a batch of pages was fetched (at the shipped 0.2 requests a
   * second, an hour of fetching per batch of 500).
   */
  @Test
  void aDestinationWithARequiredColumnSomeRowsLeaveEmptyIsRefusedByStoredBeforeAnythingIsFetched()
      throws IOException {
    createDestinationRequiring(required("owner", StandardSQLTypeName.STRING));

    refusal(BigQuerySink.builder(bq, DEST).build())
        .hasMessage("table bq:test-project.ds.pixiv_detail_info has column 'owner' as REQUIRED,"
            + " which our rows may leave empty (we write it only when it is a pass-through"
            + " column): BigQuery would refuse the loads; make it NULLABLE (ALTER TABLE"
            + " `test-project.ds.pixiv_detail_info` ALTER COLUMN `owner` DROP NOT NULL), or write"
            + " to another table");
    // A BigQuery source beside the sink answers stored() without a query: the check stays.
    refusal(BigQuerySink.builder(bq, DEST).antiJoinSkip(new AntiJoinSkip()).build())
        .hasMessageContaining("column 'owner' as REQUIRED");
    assertThat(standIn.statements()).as("no query was sent").isEmpty();
  }

  @Test
  void aRequiredColumnOfOursThatSomeRowsLeaveEmptyIsRefusedAndOnesEveryRowSetsAreTaken()
      throws IOException {
    createDestinationRequiring(required("view_count", StandardSQLTypeName.INT64));

    refusal(BigQuerySink.builder(bq, DEST).build())
        .hasMessageContaining("column 'view_count' as REQUIRED, which some of our rows leave"
            + " empty");
    bq.bigQuery().delete(com.google.cloud.bigquery.TableId.of("test-project", "ds",
        "pixiv_detail_info"));
    createDestinationRequiring(required("status", StandardSQLTypeName.STRING));

    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      assertThat(sink.stored(Shard.ALL, Fixtures.LOADED).contains(
          ArticleUrl.ofTitle("T1").canonical())).isFalse();
      sink.write(List.of(row("T1", 10)));
    }
    assertThat(standIn.rows("test-project.ds.pixiv_detail_info")).extracting(r -> r.get("url"))
        .containsExactly(ArticleUrl.ofTitle("T1").canonical());
  }

  /** The stand-in refuses a load as BigQuery does when a row leaves a REQUIRED field empty. */
  @Test
  void theStandInRefusesALoadWhoseRowLeavesARequiredFieldEmpty() throws Exception {
    createDestination(required("url", StandardSQLTypeName.STRING),
        Field.of("title", StandardSQLTypeName.STRING));

    assertThat(loadError("{\"url\":\"u1\"}\n{\"title\":\"no url\"}\n", "missing"))
        .contains("Missing required field: url.");
    assertThat(loadError("{\"url\":null}\n", "null"))
        .contains("Only optional fields can be set to NULL. Field: url");
    assertThat(standIn.rows("test-project.ds.pixiv_detail_info")).as("all or nothing").isEmpty();
    assertThat(loadError("{\"url\":\"u1\"}\n", "fine")).isNull();
    // Declared NULLABLE: refused unless the load relaxes the field, which it then is.
    com.google.cloud.bigquery.Schema relaxed = com.google.cloud.bigquery.Schema.of(
        Field.of("url", StandardSQLTypeName.STRING), Field.of("title", StandardSQLTypeName.STRING));
    assertThat(loadError("{\"url\":null}\n", "relax-refused", relaxed, List.of()))
        .contains("Field url has changed mode from REQUIRED to NULLABLE");
    assertThat(loadError("{\"url\":null}\n", "relaxed", relaxed, List.of(
        com.google.cloud.bigquery.JobInfo.SchemaUpdateOption.ALLOW_FIELD_RELAXATION))).isNull();
    assertThat(standIn.table("test-project.ds.pixiv_detail_info").orElseThrow()
        .at("/schema/fields/0/mode").asText()).isEqualTo("NULLABLE");
  }

  /** What BigQuery says of a load of {@code ndjson} into the destination; null if it loaded. */
  private String loadError(String ndjson, String job) throws Exception {
    return loadError(ndjson, job, null, List.of());
  }

  private String loadError(String ndjson, String job, com.google.cloud.bigquery.Schema schema,
      List<com.google.cloud.bigquery.JobInfo.SchemaUpdateOption> options) throws Exception {
    com.google.cloud.bigquery.TableId id =
        com.google.cloud.bigquery.TableId.of("test-project", "ds", "pixiv_detail_info");
    com.google.cloud.bigquery.WriteChannelConfiguration.Builder b =
        com.google.cloud.bigquery.WriteChannelConfiguration.newBuilder(id,
            com.google.cloud.bigquery.FormatOptions.json());
    if (schema != null) {
      b.setSchema(schema).setSchemaUpdateOptions(options);
    }
    com.google.cloud.bigquery.WriteChannelConfiguration config = b.build();
    try {
      com.google.cloud.bigquery.TableDataWriteChannel w = bq.bigQuery().writer(
          com.google.cloud.bigquery.JobId.newBuilder().setJob("required-" + job)
              .setLocation("US").build(), config);
      try (w) {
        w.write(java.nio.ByteBuffer.wrap(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      com.google.cloud.bigquery.Job done = w.getJob().waitFor();
      return done.getStatus().getError() == null ? null
          : done.getStatus().getError().getMessage();
    } catch (com.google.cloud.bigquery.BigQueryException e) {
      return e.getMessage(); // the upload's answer, as a load refused at once is
    }
  }
}
