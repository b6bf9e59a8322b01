package dev.pixivdic.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemorySinkTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ArticleRow row(String title, Instant at) {
    return ArticleRow.builder(ArticleUrl.ofTitle(title)).loadedAt(at).build();
  }

  @Test
  void recordsBatchesAndRowsInWriteOrder() throws Exception {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    sink.write(List.of(row("a", T0), row("b", T0)));
    sink.write(List.of());
    sink.write(List.of(row("c", T0)));

    assertThat(sink.batches()).hasSize(2);
    assertThat(sink.rows()).extracting(ArticleRow::url).containsExactly(
        ArticleUrl.ofTitle("a").canonical(), ArticleUrl.ofTitle("b").canonical(),
        ArticleUrl.ofTitle("c").canonical());
    assertThat(sink.writeCalls()).isEqualTo(3);
  }

  @Test
  void aScriptedFailureThrowsAndStoresNothingOfThatBatch() throws Exception {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows().failWrite(2);
    sink.write(List.of(row("a", T0)));

    assertThatThrownBy(() -> sink.write(List.of(row("b", T0))))
        .isInstanceOf(IOException.class).hasMessage("scripted failure of write #2");
    sink.write(List.of(row("c", T0)));

    assertThat(sink.rows()).hasSize(2);
    assertThat(sink.stored(Shard.ALL, T0).contains(ArticleUrl.ofTitle("b").canonical())).isFalse();
  }

  @Test
  void storedFollowsTheWindowAndTheShard() throws Exception {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    sink.write(List.of(row("old", T0.minusSeconds(1)), row("new", T0)));

    assertThat(sink.stored(Shard.ALL, T0).size()).isEqualTo(1);
    assertThat(sink.stored(Shard.ALL, Instant.EPOCH).size()).isEqualTo(2);
    String key = ArticleUrl.ofTitle("new").canonical();
    Shard other = new Shard((Shard.indexOf(key, 2) + 1) % 2, 2);
    assertThat(sink.stored(other, T0).contains(key)).isFalse();
  }

  @Test
  void aBatchWrittenAgainIsStoredOnceAsTheSinkContractAsks() throws Exception {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    List<ArticleRow> batch = List.of(row("a", T0), row("b", T0));
    sink.write(batch);
    sink.write(List.copyOf(batch)); // a retry after a lost acknowledgement
    sink.write(List.of(row("a", T0))); // another batch, though its row is stored

    assertThat(sink.batches()).hasSize(2);
    assertThat(sink.rows()).hasSize(3);
    assertThat(sink.writeCalls()).isEqualTo(3);
    assertThatThrownBy(() -> sink.write(java.util.Arrays.asList(row("c", T0), null)))
        .isInstanceOf(NullPointerException.class).hasMessage("batch holds null at 1");
  }

  @Test
  void aClosedSinkRefusesWrites() {
    InMemorySink<String> sink = InMemorySink.of(s -> s, s -> T0);
    sink.close();

    assertThat(sink.isClosed()).isTrue();
    assertThatThrownBy(() -> sink.write(List.of("x"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sink.failWrite(0)).hasMessage("n must be >= 1, was 0");
  }
}
