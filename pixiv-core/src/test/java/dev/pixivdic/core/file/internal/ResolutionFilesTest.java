package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.resolve.ResolutionRow.Status;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolutionFilesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path tmp;

  static ResolutionRow matched(String name, String title, Instant at) {
    return new ResolutionRow(name, name.toLowerCase(java.util.Locale.ROOT),
        ArticleUrl.ofTitle(title).canonical(), title, 3L, at, Status.MATCHED, 1, "run", "1.0",
        Map.of("genre", "music"));
  }

  static ResolutionRow noMatch(String name, Instant at) {
    return new ResolutionRow(name, name, null, null, 0L, at, Status.NO_MATCH, 1, "run", "1.0",
        Map.of());
  }

  @Test
  void storesRowsWithTheOriginalColumnNamesAndANullUrlForNoMatch() throws Exception {
    Path file = tmp.resolve("out/res.ndjson");
    try (NdjsonRowSink<ResolutionRow> sink = ResolutionFiles.sink(file)) {
      sink.write(List.of(matched("NARUTO", "NARUTO", T0), matched("NARUTO", "ＮＡＲＵＴＯ", T0),
          noMatch("ぬるぽ", T0)));
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.fieldNames()).toIterable().containsExactly("middle_class_ip_name",
        "clean_middle_class_ip_name", "url", "pixiv_search_result_ip", "search_hit_num", "update",
        "status", "pages_searched", "run_id", "scraper_version", "genre");
    JsonNode none = new ObjectMapper().readTree(lines.get(2));
    assertThat(none.get("url").isNull()).isTrue();
    assertThat(none.get("status").asText()).isEqualTo("NO_MATCH");
    assertThat(none.get("search_hit_num").asLong()).isZero();
    assertThat(lines.stream().map(ResolutionJson::read).toList())
        .containsExactly(matched("NARUTO", "NARUTO", T0), matched("NARUTO", "ＮＡＲＵＴＯ", T0),
            noMatch("ぬるぽ", T0));
  }

  @Test
  void aSourceColumnNamedLikeAColumnOfTheFileInAnotherCaseIsNotWrittenTwice() throws Exception {
    Path file = tmp.resolve("res.ndjson");
    ResolutionRow row = new ResolutionRow("猫", "猫", ArticleUrl.ofTitle("猫").canonical(), "猫",
        1L, T0, Status.MATCHED, 1, "run", "1.0",
        Map.of("URL", "https://example.com/elsewhere", "Status", "old", "genre", "animal"));
    try (NdjsonRowSink<ResolutionRow> sink = ResolutionFiles.sink(file)) {
      sink.write(List.of(row));
    }

    JsonNode line = new ObjectMapper().readTree(Files.readAllLines(file).get(0));
    assertThat(line.fieldNames()).toIterable().doesNotContain("URL", "Status").contains("genre");
    assertThat(line.get("url").asText()).isEqualTo(ArticleUrl.ofTitle("猫").canonical());
  }

  @Test
  void storedNamesAreTheNamesOfFreshRowsMatchedOrNot() throws Exception {
    Path file = tmp.resolve("res.ndjson");
    try (NdjsonRowSink<ResolutionRow> sink = ResolutionFiles.sink(file)) {
      sink.write(List.of(matched("初音ミク", "初音ミク", T0), noMatch("ぬるぽ", T0),
          noMatch("古い", T0.minusSeconds(10))));

      StoredKeys keys = sink.stored(Shard.ALL, T0);

      assertThat(keys.size()).isEqualTo(2);
      assertThat(keys.contains("初音ミク")).isTrue();
      assertThat(keys.contains("ぬるぽ")).isTrue();
      assertThat(keys.contains("古い")).isFalse();
    }
  }

  @Test
  void aTornLastLineIsCutAwayOnOpen() throws Exception {
    Path file = tmp.resolve("res.ndjson");
    String whole = ResolutionJson.write(matched("猫", "猫", T0)) + "\n";
    Files.writeString(file, whole + "{\"middle_class_ip_name\":\"犬\",\"clean_mid",
        StandardCharsets.UTF_8);

    try (NdjsonRowSink<ResolutionRow> sink = ResolutionFiles.sink(file)) {
      assertThat(sink.stored(Shard.ALL, T0).size()).isEqualTo(1);
    }
    assertThat(Files.readString(file)).isEqualTo(whole);
  }

  @Test
  void aLineWithoutANameIsReportedWithItsLineNumber() throws Exception {
    Path file = tmp.resolve("res.ndjson");
    Files.writeString(file, ResolutionJson.write(matched("猫", "猫", T0)) + "\n{\"url\":null}\n"
        + ResolutionJson.write(matched("犬", "犬", T0)) + "\n", StandardOpenOption.CREATE);

    try (NdjsonRowSink<ResolutionRow> sink = ResolutionFiles.sink(file)) {
      assertThatThrownBy(() -> sink.stored(Shard.ALL, T0))
          .isInstanceOf(CorruptSinkException.class)
          .hasMessageStartingWith(file + ":2: not a row: no 'middle_class_ip_name'");
    }
  }

  @Test
  void aSecondSinkOnTheSameFileIsRefused() throws Exception {
    Path file = tmp.resolve("res.ndjson");
    try (NdjsonRowSink<ResolutionRow> sink = ResolutionFiles.sink(file)) {
      assertThatThrownBy(() -> ResolutionFiles.sink(file))
          .isInstanceOf(FileInUseException.class).hasMessageContaining("in use by another run");
      assertThat(sink.file()).isEqualTo(file);
    }
  }
}
