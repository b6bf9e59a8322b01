package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableRefTest {

  @Test
  void parsesProjectDatasetAndTable() {
    TableRef t = TableRef.parse("bq:hogeticlab-legs-prd.z_personal_morikawa.pixiv_detail_info");
    assertThat(t).isEqualTo(
        new TableRef("hogeticlab-legs-prd", "z_personal_morikawa", "pixiv_detail_info"));
    assertThat(t.sql()).isEqualTo("`hogeticlab-legs-prd.z_personal_morikawa.pixiv_detail_info`");
    assertThat(t.toString())
        .isEqualTo("bq:hogeticlab-legs-prd.z_personal_morikawa.pixiv_detail_info");
    assertThat(t.tableId().getTable()).isEqualTo("pixiv_detail_info");
  }

  @Test
  void acceptsDomainScopedProjectsAndUnicodeTableNames() {
    TableRef t = TableRef.parse("bq:example.com:my-project.ds.記事 一覧-2026");
    assertThat(t.project()).isEqualTo("example.com:my-project");
    assertThat(t.dataset()).isEqualTo("ds");
    assertThat(t.table()).isEqualTo("記事 一覧-2026");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "project.ds.table",
      "bq:my-project.ds",
      "bq:.ds.table",
      "bq:My-Project.ds.table",
      "bq:1project.ds.table",
      "bq:abc.ds.table",
      "bq:my-project.d-s.table",
      "bq:my-project.ds.ta`ble",
      "bq:my-project.ds.t;DROP TABLE x",
      "bq:my-project.ds.t\\u",
      "bq:my-project.ds.",
      "bq:my-project..table"})
  void rejectsAnythingElseNamingTheInput(String spec) {
    assertThatThrownBy(() -> TableRef.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(spec);
  }

  @Test
  void rejectsTableIdsLongerThan1024Bytes() {
    assertThatThrownBy(() -> new TableRef("my-project", "ds", "記".repeat(342)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1024 bytes");
  }

  @Test
  void siblingsStayInTheDataset() {
    assertThat(TableRef.parse("bq:my-project.ds.t").sibling("scrape_runs").sql())
        .isEqualTo("`my-project.ds.scrape_runs`");
  }
}
