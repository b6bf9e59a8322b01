package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.pixivdic.bigquery.internal.ArticleCodec;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.core.internal.RowSchema;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The load schema as the sinks' {@link Loader} makes it, which calls no BigQuery for it. */
class LoadSchemaTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static final Loader<ArticleRow> LOADER = loader();

  static Loader<ArticleRow> loader() {
    try {
      return new Loader<>(BigQueryConnection.create(
          Optional.of(URI.create("http://127.0.0.1:9")), Optional.empty(), "p"),
          ArticleCodec.INSTANCE);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A row without pass-through columns. */
  static ArticleRow plainRow() {
    return ArticleRow.builder(ArticleUrl.ofTitle("μ's")).title("μ's")
        .loadedAt(Instant.parse("2026-11-16T03:04:05.123Z")).build();
  }

  static ArticleRow withPassThrough(String column) {
    return plainRow().toBuilder().passThrough(column, "v").build();
  }

  static String ndjson(LoadSchema s, ArticleRow row) {
    return new String(LOADER.ndjson(s, List.of(row)), StandardCharsets.UTF_8);
  }

  static ArticleRow row() {
    return ArticleRow.builder(ArticleUrl.ofTitle("μ's"))
        .title("μ's").bookmark(12L).viewCount(3L)
        .loadedAt(Instant.parse("2026-11-16T03:04:05.123Z"))
        .passThrough("search_hit_num", "7")
        .build();
  }

  static Field f(String name, StandardSQLTypeName type) {
    return Field.newBuilder(name, type).setMode(Field.Mode.NULLABLE).build();
  }

  @Test
  void aNewTableGetsOurColumnsThenPassThroughColumnsAsStrings() throws Exception {
    LoadSchema s = LOADER.schemaFor("t", Optional.empty(), List.of(row()));
    assertThat(s.schema().getFields()).hasSize(RowSchema.COLUMNS.size() + 1);
    Field last = s.schema().getFields().get(RowSchema.COLUMNS.size());
    assertThat(last.getName()).isEqualTo("search_hit_num");
    assertThat(last.getType().getStandardType()).isEqualTo(StandardSQLTypeName.STRING);
    assertThat(ndjson(s, row())).isEqualTo(RowJson.write(row()) + "\n");
  }

  @Test
  void theVersionDependsOnTheSchemaOnly() throws Exception {
    assertThat(LOADER.schemaFor("t", Optional.empty(), List.of(plainRow())).version())
        .isEqualTo(LOADER.schemaFor("u", Optional.empty(), List.of(plainRow())).version())
        .isNotEqualTo(LOADER.schemaFor("t", Optional.empty(), List.of(withPassThrough("x")))
            .version());
  }

  @Test
  void existingColumnsKeepTheirNamesTypesAndOrderAndValuesAreConverted() throws Exception {
    Schema existing = Schema.of(f("URL", StandardSQLTypeName.STRING),
        f("bookmark", StandardSQLTypeName.STRING),
        f("view_count", StandardSQLTypeName.FLOAT64),
        f("loaded_at", StandardSQLTypeName.DATETIME),
        f("legacy_note", StandardSQLTypeName.STRING));

    LoadSchema s = LOADER.schemaFor("t", Optional.of(existing), List.of(plainRow()));

    List<String> names = s.schema().getFields().stream().map(Field::getName).toList();
    assertThat(names.subList(0, 5)).containsExactly("URL", "bookmark", "view_count", "loaded_at",
        "legacy_note");
    assertThat(names).doesNotContain("url").contains("title", "run_id");
    JsonNode line = JSON.readTree(ndjson(s, row()));
    assertThat(line.has("url")).isFalse();
    assertThat(line.path("URL").asText()).isEqualTo("https://dic.pixiv.net/a/%CE%BC%27s");
    assertThat(line.path("bookmark").isTextual()).isTrue();
    assertThat(line.path("bookmark").asText()).isEqualTo("12");
    assertThat(line.path("view_count").asLong()).isEqualTo(3);
    assertThat(line.path("loaded_at").asText()).isEqualTo("2026-11-16T03:04:05.123");
    assertThat(s.addsFieldsTo(Optional.of(existing))).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
      "2024-06-01T03:34:00Z, 2024-06-01T03:34:00",
      "2024-06-01T00:00:00Z, 2024-06-01T00:00:00",
      "2024-06-01T03:34:05.1Z, 2024-06-01T03:34:05.1",
      "2024-06-01T03:34:05.123456789Z, 2024-06-01T03:34:05.123456"})
  void aDatetimeColumnGetsBigQuerysCanonicalFormWithSecondsAndAtMostMicroseconds(
      String loaded, String expected) throws Exception {
    Schema existing = Schema.of(f("loaded_at", StandardSQLTypeName.DATETIME));
    ArticleRow r = plainRow().toBuilder().loadedAt(Instant.parse(loaded)).build();

    JsonNode line = JSON.readTree(ndjson(LOADER.schemaFor("t", Optional.of(existing),
        List.of(r)), r));

    assertThat(line.path("loaded_at").asText()).isEqualTo(expected);
  }

  @Test
  void anExistingColumnThatCannotHoldOurValuesIsRefusedNamingIt() {
    Schema existing = Schema.of(f("view_count", StandardSQLTypeName.BOOL));
    assertThatThrownBy(() -> LOADER.schemaFor("bq:p-roject.ds.t", Optional.of(existing),
        List.of(plainRow())))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("bq:p-roject.ds.t")
        .hasMessageContaining("'view_count'")
        .hasMessageContaining("BOOLEAN");
    Schema notRepeated = Schema.of(f("related_tags", StandardSQLTypeName.STRING));
    assertThatThrownBy(() -> LOADER.schemaFor("t", Optional.of(notRepeated),
        List.of(plainRow())))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("REPEATED");
  }

  @Test
  void aPassThroughColumnNamedLikeARowColumnIsWrittenOnce() throws Exception {
    ArticleRow r = row().toBuilder().middleClassIpName("ボカロ")
        .passThrough("middle_class_ip_name", "ボカロ").build();
    LoadSchema s = LOADER.schemaFor("t", Optional.empty(), List.of(r));
    String line = ndjson(s, r);
    assertThat(line.split("\"middle_class_ip_name\"", -1)).hasSize(2);
    assertThat(s.schema().getFields().stream()
            .filter(f -> f.getName().equals("middle_class_ip_name")))
        .hasSize(1);
  }

  @Test
  void aPassThroughColumnWithAnInvalidNameIsRefused() {
    assertThatThrownBy(() -> LOADER.schemaFor("t", Optional.empty(),
        List.of(withPassThrough("bad name"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad name'");
  }
}
