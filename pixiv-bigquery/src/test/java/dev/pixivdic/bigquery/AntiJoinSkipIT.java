package dev.pixivdic.bigquery;

import static dev.pixivdic.bigquery.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source's anti-join standing in for the sink's {@code stored()} query: a run with an
 * {@link AntiJoinSkip} processes exactly the items a run without it processes, and the sink's
 * query runs only when the anti-join does not cover what it would say.
 */
class AntiJoinSkipIT {

  static final TableRef SOURCE = TableRef.parse("bq:test-project.ds.src");
  static final TableRef DEST = TableRef.parse("bq:test-project.ds.pixiv_detail_info");
  static final Instant NOW = Fixtures.LOADED.plus(Duration.ofHours(1));
  static final Instant SINCE = NOW.minus(Duration.ofDays(7));
  static final Shard ALL = new Shard(0, 1);

  BigQueryStandIn standIn;
  BigQueryConnection bq;

  @BeforeEach
  void start() throws IOException {
    standIn = BigQueryStandIn.start();
    bq = BigQueryConnection.create(Optional.of(standIn.endpoint()), Optional.of("US"),
        "test-project", BigQueryRetry.fixed(2, Duration.ofMillis(1)));
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  @Test
  void canonicalUrlsLeftOutByTheAntiJoinNeedNoQueryOfTheSink() throws IOException {
    seedSource(canonical("T1"), canonical("T2"), canonical("T3"));
    store("T1");
    List<String> expected = process(null, ALL, Duration.ofDays(7));
    int before = storedQueries();

    assertThat(process(new AntiJoinSkip(), ALL, Duration.ofDays(7)))
        .isEqualTo(expected).containsExactly(canonical("T2"), canonical("T3"));
    assertThat(storedQueries()).isEqualTo(before);
  }

  @Test
  void aShorterSourceWindowJoinsFromTheRunsEarlierTimeAndStillNeedsNoQuery() throws IOException {
    seedSource(canonical("T1"), canonical("T2"));
    store("T1"); // loaded an hour before NOW: outside a 30-minute window, inside the run's
    List<String> expected = process(null, ALL, Duration.ofMinutes(30));
    int before = storedQueries();

    assertThat(process(new AntiJoinSkip(), ALL, Duration.ofMinutes(30)))
        .isEqualTo(expected).containsExactly(canonical("T2"));
    assertThat(storedQueries()).isEqualTo(before);
  }

  @Test
  void aStoredArticleListedByANonCanonicalUrlIsLookedUpAndSkipped() throws IOException {
    // The anti-join compares the stored strings, so it lets the http:// spelling of T1 through.
    seedSource("http://dic.pixiv.net/a/T1", canonical("T2"));
    store("T1");
    List<String> expected = process(null, ALL, Duration.ofDays(7));
    int before = storedQueries();

    assertThat(process(new AntiJoinSkip(), ALL, Duration.ofDays(7)))
        .isEqualTo(expected).containsExactly(canonical("T2"));
    assertThat(storedQueries()).isEqualTo(before + 1);
  }

  @Test
  void withoutTheAntiJoinTheSinkIsAskedWhenItsTableAppearsAfterTheSourceLooked()
      throws IOException {
    seedSource(canonical("T1"), canonical("T2"));
    AntiJoinSkip skip = new AntiJoinSkip();
    try (BigQuerySink sink = sink(skip)) {
      StoredKeys stored = sink.stored(ALL, SINCE);
      try (Stream<WorkItem> items = source(skip, Duration.ofDays(7)).items(ALL)) {
        List<WorkItem> read = items.toList();
        assertThat(read).hasSize(2); // no destination yet: no anti-join
        store("T1"); // another pod of the run creates the destination meanwhile
        assertThat(read).filteredOn(w -> !stored.contains(w.key()))
            .extracting(WorkItem::key).containsExactly(canonical("T2"));
      }
    }
  }

  @Test
  void aSourceReadOfAnotherShardLeavesTheSinkToBeAsked() throws IOException {
    seedSource(canonical("T1"), canonical("T2"));
    AntiJoinSkip skip = new AntiJoinSkip();
    store("T1");
    Shard shard = new Shard(0, 2);
    Shard other = new Shard(1, 2);
    Shard holdingT1 = shard.contains(canonical("T1")) ? shard : other;
    try (BigQuerySink sink = sink(skip)) {
      StoredKeys stored = sink.stored(holdingT1, SINCE);
      try (Stream<WorkItem> items = source(skip, Duration.ofDays(7)).items(
          holdingT1 == shard ? other : shard)) {
        items.forEach(w -> { });
      }
      assertThat(stored.contains(canonical("T1"))).isTrue();
    }
  }

  @Test
  void everySpellingOfAnArticleIsReadByTheShardOfItsCanonicalUrlSoTheSinkIsAskedThere()
      throws IOException {
    // The http:// spelling of each title hashes to the other of two shards than its canonical URL.
    List<String> titles = new ArrayList<>();
    for (int i = 0; titles.size() < 3; i++) {
      String t = "T" + i;
      if (new Shard(0, 2).contains("http://dic.pixiv.net/a/" + t)
          != new Shard(0, 2).contains(canonical(t))) {
        titles.add(t);
      }
    }
    seedSource(titles.stream().flatMap(t -> Stream.of("http://dic.pixiv.net/a/" + t,
        canonical(t))).toArray(String[]::new));
    store(titles.get(0));

    List<String> read = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Shard shard = new Shard(i, 2);
      List<String> keys = process(new AntiJoinSkip(), shard, Duration.ofDays(7));
      assertThat(keys).allSatisfy(k -> assertThat(shard.contains(k)).isTrue());
      read.addAll(keys);
    }

    assertThat(read).containsExactlyInAnyOrder(canonical(titles.get(1)), canonical(titles.get(2)));
  }

  @Test
  void aSourceRowThatIsNoArticleUrlIsCountedByOneShardOnly() throws IOException {
    seedSource("https://example.com/a/T1", "http://dic.pixiv.net/b/T2", canonical("T3"));
    long invalid = 0;
    for (int i = 0; i < 3; i++) {
      BigQuerySource source = source(null, Duration.ofDays(7));
      try (Stream<WorkItem> items = source.items(new Shard(i, 3))) {
        items.forEach(w -> { });
      }
      invalid += source.invalidUrls();
    }
    assertThat(invalid).isEqualTo(2);
  }

  /** The keys a run would process: what the source yields and the sink does not hold. */
  private List<String> process(AntiJoinSkip skip, Shard shard, Duration sourceWindow)
      throws IOException {
    try (BigQuerySink sink = skip == null ? sink(null) : sink(skip)) {
      StoredKeys stored = sink.stored(shard, SINCE);
      try (Stream<WorkItem> items = source(skip, sourceWindow).items(shard)) {
        return items.map(WorkItem::key).filter(k -> !stored.contains(k)).toList();
      }
    }
  }

  private BigQuerySource source(AntiJoinSkip skip, Duration window) {
    BigQuerySource.Builder b = BigQuerySource.builder(bq, SOURCE)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    return (skip == null ? b.skipStoredIn(DEST, window) : b.skipStoredIn(DEST, window, skip))
        .build();
  }

  private BigQuerySink sink(AntiJoinSkip skip) {
    BigQuerySink.Builder b = BigQuerySink.builder(bq, DEST);
    return (skip == null ? b : b.antiJoinSkip(skip)).build();
  }

  private void store(String title) throws IOException {
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      sink.write(List.of(row(title, 10)));
    }
  }

  private void seedSource(String... urls) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (String u : urls) {
      rows.add(Map.of("URL", u, "middle_class_ip_name", "ip"));
    }
    standIn.seed("test-project.ds.src", rows);
  }

  private int storedQueries() {
    return (int) standIn.statements().stream()
        .filter(s -> s.sql().contains("AS fp")).count();
  }

  private static String canonical(String title) {
    return ArticleUrl.ofTitle(title).canonical();
  }
}
