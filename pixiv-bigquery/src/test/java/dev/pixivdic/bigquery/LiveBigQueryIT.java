package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against real BigQuery: opt-in, runs only when {@code GOOGLE_CLOUD_PROJECT} is set (with
 * Application Default Credentials, and {@code PIXIV_BQ_DATASET} naming an existing dataset,
 * default {@code pixiv_it}). Creates a table with a random name and drops it afterwards.
 */
@EnabledIfEnvironmentVariable(named = "GOOGLE_CLOUD_PROJECT", matches = ".+")
class LiveBigQueryIT {

  @Test
  void aBatchWrittenTwiceIsStoredOnceAndIsSeenByStoredAndTheAntiJoin() throws Exception {
    String project = System.getenv("GOOGLE_CLOUD_PROJECT");
    String dataset = Optional.ofNullable(System.getenv("PIXIV_BQ_DATASET")).orElse("pixiv_it");
    BigQueryConnection c = BigQueryConnection.create(Optional.empty(),
        Optional.ofNullable(System.getenv("PIXIV_BQ_LOCATION")), project);
    TableRef dest = new TableRef(project, dataset,
        "pixiv_it_" + UUID.randomUUID().toString().replace("-", ""));
    try {
      Instant now = Instant.now();
      List<ArticleRow> batch = List.of(
          Fixtures.row("μ's", 1).toBuilder().loadedAt(now).build(),
          Fixtures.row("C++", 2).toBuilder().loadedAt(now).build());
      BigQuerySink sink = BigQuerySink.builder(c, dest).build();
      sink.write(batch);
      sink.write(batch);

      StoredKeys stored = sink.stored(Shard.ALL, now.minus(Duration.ofHours(1)));
      assertThat(stored.size()).isEqualTo(2);
      long rows = c.bigQuery().getTable(dest.tableId()).getNumRows().longValue();
      assertThat(rows).isEqualTo(2);

      BigQuerySource source = BigQuerySource.builder(c, dest)
          .skipStoredIn(dest, Duration.ofDays(7)).build();
      try (Stream<WorkItem> items = source.items(Shard.ALL)) {
        assertThat(items).isEmpty();
      }
    } finally {
      c.bigQuery().delete(dest.tableId());
    }
  }
}
