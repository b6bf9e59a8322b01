package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourcesTest {

  private static List<WorkItem> shuffledItems(int n, long seed) {
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(new WorkItem(ArticleUrl.ofTitle("item" + i), Map.of("n", Integer.toString(i))));
    }
    Collections.shuffle(items, new Random(seed));
    return items;
  }

  private static List<String> keys(Source<WorkItem> source, Shard shard) throws IOException {
    try (Stream<WorkItem> items = source.items(shard)) {
      return items.map(WorkItem::key).toList();
    }
  }

  @ParameterizedTest(name = "{0} items in slices of {1}")
  @CsvSource({"1050, 100", "100, 100", "7, 3", "0, 5", "250, 1"})
  void slicesInOrderPartitionTheSortedSource(int n, int size) throws Exception {
    Source<WorkItem> source = Source.ofItems(shuffledItems(n, n));
    List<String> sorted = shuffledItems(n, 1).stream().map(WorkItem::key).sorted().toList();

    List<String> concatenated = new ArrayList<>();
    int slices = (n + size - 1) / size;
    for (int k = 0; k < slices; k++) {
      List<String> slice = keys(Sources.batchSlice(source, k, size), Shard.ALL);
      assertThat(slice).hasSize(Math.min(size, n - k * size));
      concatenated.addAll(slice);
    }
    assertThat(concatenated).isEqualTo(sorted);
    assertThat(keys(Sources.batchSlice(source, slices, size), Shard.ALL)).isEmpty();
  }

  @Test
  void theSliceKeepsAttributesAndIsFilteredByShardAfterSlicing() throws Exception {
    Source<WorkItem> slice = Sources.batchSlice(Source.ofItems(shuffledItems(500, 3)), 2, 100);

    List<String> whole = keys(slice, Shard.ALL);
    List<String> union = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Shard shard = new Shard(i, 3);
      List<String> part = keys(slice, shard);
      assertThat(part).allMatch(shard::contains);
      union.addAll(part);
    }
    assertThat(union).containsExactlyInAnyOrderElementsOf(whole);
    try (Stream<WorkItem> items = slice.items(Shard.ALL)) {
      assertThat(items).allSatisfy(i -> assertThat(i.attributes()).containsKey("n"));
    }
  }

  @Test
  void aRepeatedUrlCountsOnceWithItsFirstAttributes() throws Exception {
    ArticleUrl a = ArticleUrl.ofTitle("a");
    Source<WorkItem> source = Source.ofItems(List.of(
        new WorkItem(a, Map.of("n", "first")), WorkItem.of(ArticleUrl.ofTitle("c")),
        new WorkItem(a, Map.of("n", "second")), WorkItem.of(ArticleUrl.ofTitle("b"))));

    try (Stream<WorkItem> items = Sources.batchSlice(source, 0, 2).items(Shard.ALL)) {
      assertThat(items.toList()).containsExactly(
          new WorkItem(a, Map.of("n", "first")), WorkItem.of(ArticleUrl.ofTitle("b")));
    }
  }

  @Test
  void nonsenseArgumentsAreRejected() {
    Source<WorkItem> source = Source.ofItems(List.of());
    assertThatThrownBy(() -> Sources.batchSlice(source, -1, 100))
        .hasMessage("batch index must be >= 0, was -1");
    assertThatThrownBy(() -> Sources.batchSlice(source, 0, 0))
        .hasMessage("batch size must be >= 1, was 0");
    assertThatThrownBy(() -> Sources.batchSlice(source, Integer.MAX_VALUE, 100))
        .hasMessageContaining("too large");
    // Each within its option's range, the product not: the message gives the limit.
    assertThatThrownBy(() -> Sources.batchSlice(source, 1_000_000, 1_000_000))
        .hasMessageContaining("(index + 1) times size").hasMessageContaining("at most 2147483639");
  }
}
