package dev.pixivdic.bigquery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.pixivdic.bigquery.BigQueryRejectedException;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.RowJson;
import dev.pixivdic.core.RowSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadSchemaTest {

  static final ObjectMapper JSON = new ObjectMapper();

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
    LoadSchema s = LoadSchema.forTable("t", Optional.empty(), List.of("search_hit_num"));
    assertThat(s.schema().getFields()).hasSize(RowSchema.COLUMNS.size() + 1);
    Field last = s.schema().getFields().get(RowSchema.COLUMNS.size());
    assertThat(last.getName()).isEqualTo("search_hit_num");
    assertThat(last.getType().getStandardType()).isEqualTo(StandardSQLTypeName.STRING);
    String ndjson = new String(s.ndjson(List.of(row())), StandardCharsets.UTF_8);
    assertThat(ndjson).isEqualTo(RowJson.write(row()) + "\n");
  }

  @Test
  void theVersionDependsOnTheSchemaOnly() throws Exception {
    assertThat(LoadSchema.forTable("t", Optional.empty(), List.of()).version())
        .isEqualTo(LoadSchema.forTable("u", Optional.empty(), List.of()).version())
        .isNotEqualTo(LoadSchema.forTable("t", Optional.empty(), List.of("x")).version());
  }

  @Test
  void existingColumnsKeepTheirNamesTypesAndOrderAndValuesAreConverted() throws Exception {
    Schema existing = Schema.of(f("URL", StandardSQLTypeName.STRING),
        f("bookmark", StandardSQLTypeName.STRING),
        f("view_count", StandardSQLTypeName.FLOAT64),
        f("loaded_at", StandardSQLTypeName.DATETIME),
        f("legacy_note", StandardSQLTypeName.STRING));

    LoadSchema s = LoadSchema.forTable("t", Optional.of(existing), List.of());

    List<String> names = s.schema().getFields().stream().map(Field::getName).toList();
    assertThat(names.subList(0, 5)).containsExactly("URL", "bookmark", "view_count", "loaded_at",
        "legacy_note");
    assertThat(names).doesNotContain("url").contains("title", "run_id");
    JsonNode line = JSON.readTree(s.ndjson(List.of(row())));
    assertThat(line.has("url")).isFalse();
    assertThat(line.path("URL").asText()).isEqualTo("https://dic.pixiv.net/a/%CE%BC%27s");
    assertThat(line.path("bookmark").isTextual()).isTrue();
    assertThat(line.path("bookmark").asText()).isEqualTo("12");
    assertThat(line.path("view_count").asLong()).isEqualTo(3);
    assertThat(line.path("loaded_at").asText()).isEqualTo("2026-11-16T03:04:05.123");
    assertThat(s.addsFieldsTo(Optional.of(existing))).isTrue();
  }

  @Test
  void anExistingColumnThatCannotHoldOurValuesIsRefusedNamingIt() {
    Schema existing = Schema.of(f("view_count", StandardSQLTypeName.BOOL));
    assertThatThrownBy(() -> LoadSchema.forTable("bq:p-roject.ds.t", Optional.of(existing),
        List.of()))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("bq:p-roject.ds.t")
        .hasMessageContaining("'view_count'")
        .hasMessageContaining("BOOLEAN");
    Schema notRepeated = Schema.of(f("related_tags", StandardSQLTypeName.STRING));
    assertThatThrownBy(() -> LoadSchema.forTable("t", Optional.of(notRepeated), List.of()))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("REPEATED");
  }

  @Test
  void aPassThroughColumnNamedLikeARowColumnIsWrittenOnce() throws Exception {
    ArticleRow r = row().toBuilder().middleClassIpName("ボカロ")
        .passThrough("middle_class_ip_name", "ボカロ").build();
    LoadSchema s = LoadSchema.forTable("t", Optional.empty(), LoadSchema.passThroughOf(List.of(r)));
    String line = new String(s.ndjson(List.of(r)), StandardCharsets.UTF_8);
    assertThat(line.split("\"middle_class_ip_name\"", -1)).hasSize(2);
    assertThat(s.schema().getFields().stream().filter(f -> f.getName().equals("middle_class_ip_name")))
        .hasSize(1);
  }

  @Test
  void aPassThroughColumnWithAnInvalidNameIsRefused() {
    assertThatThrownBy(() -> LoadSchema.forTable("t", Optional.empty(), List.of("bad name")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad name'");
  }
}
