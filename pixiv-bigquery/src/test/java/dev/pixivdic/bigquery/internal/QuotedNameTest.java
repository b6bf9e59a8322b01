package dev.pixivdic.bigquery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.bigquery.testing.BigQuerySql;
import dev.pixivdic.bigquery.testing.Column;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Sql#quoted} read back by BigQuery's lexer (ZetaSQL's): each name, quoted, names the
 * column of that exact name and no other.
 */
class QuotedNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"url", "メモ", "last-note", "a b&c", "1st", "x`y", "back\\slash",
      "tab\tand\nnew line", "`"})
  void aQuotedNameNamesExactlyItsColumn(String name) {
    String sql = "SELECT t." + Sql.quoted(name) + " FROM `p-1.ds.t` AS t";

    assertThat(BigQuerySql.analysisError(sql, Map.of(),
        Map.of("p-1.ds.t", List.of(Column.string(name), Column.string(name + "_other")))))
        .as(sql).isEmpty();
    assertThat(BigQuerySql.analysisError(sql, Map.of(),
        Map.of("p-1.ds.t", List.of(Column.string(name + "_other")))))
        .as("%s names no other column", sql).isPresent();
  }
}
