package dev.pixivdic.bigquery;

import static dev.pixivdic.bigquery.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.bigquery.testing.FaultProxy;
import dev.pixivdic.bigquery.testing.FaultProxy.Rule;
import dev.pixivdic.bigquery.testing.RecordedRequest;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.resolve.ResolutionRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * BigQuery's bad moments, injected by a fault proxy in front of the BigQuery stand-in, and what
 * pixiv-bigquery does about each. The faults covered (docs/bigquery.md lists them with the CLI's
 * exit codes):
 *
 * <ul>
 *   <li>load: the upload's answer lost; the answer slower than the deadline; the answer lost and
 *       the job lookup missing the job at first; the lookup missing it twice (409 twice); the
 *       lookup itself slow; the upload session's opening answered 503 twice, or reset; the data
 *       answered 500 before reaching BigQuery; every opening 503 (unavailable); the thread
 *       interrupted while the job ran (written) or before the load (an interruption, nothing
 *       written);
 *   <li>queries: the answer slower than the deadline once, or always (unavailable, never a
 *       refusal); 500 twice; a further result page 503 once;
 *   <li>tables: a read answered 503; the creation's answer lost (409 on the retry);
 *   <li>query jobs: the MERGE's answer lost, and the lookup missing it at first; the view DDL's
 *       answer lost;
 *   <li>merges of two runs adding different columns to the destination at once;
 *   <li>answers the client cannot read ({@code {}}, a value its own checks refuse), the
 *       upload's last one included: not understood, the step's failure;
 *   <li>the ledger's load answer lost; the resolution sink's load answer lost.
 * </ul>
 *
 * In each case the table holds every batch exactly once and the call reports what the table
 * holds: a batch counts as written only when it is there.
 */
class BigQueryFaultMatrixIT {

  static final String DEST_ID = "test-project.ds.pixiv_detail_info";
  static final TableRef DEST = TableRef.parse("bq:" + DEST_ID);
  static final String UPLOAD = "/upload/bigquery/v2/projects/[^/]+/jobs";
  static final String JOB = "/bigquery/v2/projects/[^/]+/jobs/[^/]+";
  static final String JOBS = "/bigquery/v2/projects/[^/]+/jobs";
  static final String QUERIES = "/bigquery/v2/projects/[^/]+/queries";
  static final String TABLE = "/bigquery/v2/projects/[^/]+/datasets/[^/]+/tables/[^/]+";
  static final String TABLES = "/bigquery/v2/projects/[^/]+/datasets/[^/]+/tables";
  static final String DATASET = "/bigquery/v2/projects/[^/]+/datasets/[^/]+";
  static final String TABLE_DATA = TABLE + "/data";
  static final Duration DEADLINE = Duration.ofMillis(700);
  /**
   * An answer slower than the deadline. A late answer is the fault itself, so it stays a delay,
   * but one far past {@link #DEADLINE}: a client thread starved on a busy machine still times
   * out first. Nothing waits it out: closing the proxy ends the delays under way.
   */
  static final Duration SLOW = Duration.ofSeconds(30);

  BigQueryStandIn standIn;
  FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    standIn = BigQueryStandIn.start();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    standIn.close();
    assertThat(Thread.interrupted()).as("the calling thread is left interrupted").isFalse();
  }

  BigQueryConnection faults(Rule... rules) throws IOException {
    return faults(Optional.of("US"), rules);
  }

  /** As {@link #faults(Rule...)}, for a run given no {@code --location}. */
  BigQueryConnection faultsWithoutLocation(Rule... rules) throws IOException {
    return faults(Optional.empty(), rules);
  }

  private BigQueryConnection faults(Optional<String> location, Rule... rules)
      throws IOException {
    proxy = FaultProxy.start(standIn.endpoint(), List.of(rules));
    return BigQueryConnection.create(Optional.of(proxy.endpoint()), location, "test-project",
        BigQueryRetry.fixed(5, Duration.ofMillis(1)).withCallTimeout(DEADLINE));
  }

  List<ArticleRow> batch() {
    return List.of(row("A", 1), row("B", 2), row("C", 3));
  }

  void writeAndExpectStoredOnce(BigQueryConnection bq) throws IOException {
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      sink.write(batch());
    }
    assertThat(standIn.rows(DEST_ID)).hasSize(3);
    assertThat(standIn.loadJobs()).isEqualTo(1);
    assertThat(proxy.exhausted()).as("every fault was injected: %s", proxy.applied()).isTrue();
  }

  // ---- loads ----

  @Test
  void aLoadWhoseAnswerIsLostCountsAsWrittenOnce() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("PUT", UPLOAD).loseAnswer()));
  }

  @Test
  void aLoadWhoseAnswerOutlastsTheDeadlineIsReadBackAndCountsAsWrittenOnce() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("PUT", UPLOAD).delayAnswer(SLOW)));
  }

  @Test
  void aLostLoadAnswerWhoseJobTheLookupMissesAtFirstIsReconciledOnThe409() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("PUT", UPLOAD).loseAnswer(),
        Rule.on("GET", JOB).respond(404, "notFound")));
  }

  @Test
  void aLookupThatMissesTheJobTwiceMeans409TwiceAndStillOneLoad() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("PUT", UPLOAD).loseAnswer(),
        Rule.on("GET", JOB).times(2).respond(404, "notFound")));
  }

  @Test
  void aLostLoadAnswerInASingleRegionDatasetIsReadBackWithoutALocationGiven()
      throws IOException {
    // BigQuery shows a job of asia-northeast1 only to a read that names the region: the
    // location is learned from the dataset, so the job is found by its id.
    standIn.datasetLocation("test-project.ds", "asia-northeast1");
    BigQueryConnection bq = faultsWithoutLocation(Rule.on("PUT", UPLOAD).loseAnswer());

    writeAndExpectStoredOnce(bq);
    assertThat(standIn.jobs()).singleElement().satisfies(j -> assertThat(
        j.path("jobReference").path("location").asText()).isEqualTo("asia-northeast1"));
  }

  @Test
  void aSlowJobLookupIsRetriedLikeAnyCall() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("PUT", UPLOAD).loseAnswer(),
        Rule.on("GET", JOB).delayAnswer(SLOW)));
  }

  @Test
  void anUploadSessionOpening503TwiceIsRetried() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("POST", UPLOAD).times(2)
        .respond(503, "backendError")));
  }

  @Test
  void anUploadSessionOpeningRateLimitedTwiceIsRetried() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("POST", UPLOAD).respond(400, "jobRateLimitExceeded"),
        Rule.on("POST", UPLOAD).respond(429, "rateLimitExceeded")));
  }

  @Test
  void anUploadSessionOpeningResetIsRetried() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("POST", UPLOAD).reset()));
  }

  @Test
  void uploadedDataAnswered500BeforeReachingBigQueryIsLoadedAgainUnderTheSameId()
      throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("PUT", UPLOAD).respond(500, "backendError")));
    List<String> ids = standIn.jobs().stream()
        .map(j -> j.path("jobReference").path("jobId").asText()).toList();
    assertThat(ids).singleElement().satisfies(id -> assertThat(id).endsWith("_a1"));
  }

  @Test
  void aLoadThatStaysUnavailableIsUnavailableAndStoresNothing() throws IOException {
    BigQueryConnection bq = faults(Rule.on("POST", UPLOAD).times(50)
        .respond(503, "backendError"));
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      assertThatThrownBy(() -> sink.write(batch()))
          .isInstanceOf(BigQueryUnavailableException.class);
    }
    assertThat(standIn.rows(DEST_ID)).isEmpty();
  }

  @Test
  void aLoadInterruptedWhileItsJobRanIsReadBackBeforeAnythingIsCounted() throws Exception {
    proxy = FaultProxy.start(standIn.endpoint(), List.of(
        Rule.on("PUT", UPLOAD).holdAnswer(Duration.ofSeconds(60))));
    BigQueryConnection bq = BigQueryConnection.create(Optional.of(proxy.endpoint()),
        Optional.of("US"), "test-project", BigQueryRetry.fixed(5, Duration.ofMillis(1))
            .withCallTimeout(Duration.ofSeconds(20)));
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).build();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try {
        sink.write(batch());
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    writer.start();
    // The job has run at the stand-in; the proxy holds its answer until the writer is
    // interrupted, so the interrupt always comes while the writer waits for it.
    boolean held = proxy.awaitHeld(1, Duration.ofSeconds(30));
    assertThat(held).as("the load's answer is held (writer failure: %s)", failure.get())
        .isTrue();
    assertThat(standIn.loadJobs()).as("the load job ran").isEqualTo(1);
    writer.interrupt();
    proxy.release();
    writer.join(30_000);

    assertThat(writer.isAlive()).isFalse();

    assertThat(failure.get()).as("the load's job succeeded: the batch is written").isNull();
    assertThat(standIn.rows(DEST_ID)).hasSize(3);
    assertThat(standIn.loadJobs()).isEqualTo(1);
  }

  @Test
  void aLoadOnAnInterruptedThreadIsAnInterruptionNotARefusalAndStoresNothing() throws Exception {
    BigQueryConnection bq = faults();
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).build();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      Thread.currentThread().interrupt();
      try {
        sink.write(batch());
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    writer.start();
    writer.join(30_000);

    assertThat(failure.get()).isInstanceOf(java.io.InterruptedIOException.class);
    assertThat(standIn.rows(DEST_ID)).isEmpty();
  }

  // ---- queries ----

  @Test
  void aQueryAnswerSlowerThanTheDeadlineIsRetried() throws IOException {
    BigQueryConnection bq = faults(Rule.on("POST", QUERIES).delayAnswer(SLOW));
    standIn.createTable(DEST_ID, List.of(
        dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    standIn.insert(DEST_ID, List.of(Map.of("url", ArticleUrl.ofTitle("A").canonical(),
        "loaded_at", Fixtures.LOADED)));

    StoredKeys stored = BigQuerySink.builder(bq, DEST).build()
        .stored(new Shard(0, 1), Fixtures.LOADED);

    assertThat(stored.contains(ArticleUrl.ofTitle("A").canonical())).isTrue();
    assertThat(proxy.exhausted()).isTrue();
  }

  @Test
  void aDatasetThatCannotBeReadForWantOfPermissionIsNoReasonToRefuseTheRun() throws IOException {
    BigQueryConnection bq = faults(Rule.on("GET", DATASET).respond(403, "accessDenied"));

    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      assertThat(sink.stored(new Shard(0, 1), Fixtures.LOADED)
          .contains(ArticleUrl.ofTitle("A").canonical())).isFalse();
      sink.write(batch());
    }
    assertThat(standIn.rows(DEST_ID)).hasSize(3);
    assertThat(proxy.exhausted()).isTrue();
  }

  @Test
  void aQueryThatAlwaysOutlastsTheDeadlineIsUnavailableNeverRefused() throws IOException {
    BigQueryConnection bq = faults(Rule.on("POST", QUERIES).times(50).delayAnswer(SLOW));
    standIn.createTable(DEST_ID, List.of(dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).build();

    assertThatThrownBy(() -> sink.stored(new Shard(0, 1), Fixtures.LOADED))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("5 attempts");
  }

  @Test
  void aSourceQueryAnswered500TwiceAndAPage503OnceReadsEveryItem() throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(Map.of("url", ArticleUrl.ofTitle("T" + i).canonical()));
    }
    standIn.seed("test-project.ds.src", rows);
    BigQueryConnection bq = faults(Rule.on("POST", QUERIES).times(2).respond(500, "backendError"),
        Rule.on("GET", TABLE_DATA).respond(503, "backendError"));
    BigQuerySource source = BigQuerySource.builder(bq, TableRef.parse("bq:test-project.ds.src"))
        .passThroughColumns(List.of()).pageSize(3).build();

    List<WorkItem> items;
    try (Stream<WorkItem> s = source.items(new Shard(0, 1))) {
      items = s.toList();
    }

    assertThat(items).hasSize(10);
    assertThat(proxy.exhausted()).isTrue();
    assertThat(standIn.requests()).as("its further pages three rows long, as the source asks")
        .filteredOn(r -> r.path().matches(TABLE_DATA)).hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(r -> assertThat(r.query()).contains("maxResults=3"));
  }

  /** A connection straight to the stand-in whose jobs are waited for at most {@code bound}. */
  BigQueryConnection waitingAtMost(Duration bound) throws IOException {
    return BigQueryConnection.create(Optional.of(standIn.endpoint()), Optional.of("US"),
        "test-project", BigQueryRetry.fixed(5, Duration.ofMillis(1)).withJobTimeout(bound));
  }

  BigQuerySource tenItemSource(BigQueryConnection bq) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(Map.of("url", ArticleUrl.ofTitle("T" + i).canonical()));
    }
    standIn.seed("test-project.ds.src", rows);
    return BigQuerySource.builder(bq, TableRef.parse("bq:test-project.ds.src"))
        .passThroughColumns(List.of()).pageSize(3).build();
  }

  @Test
  void aSourceQueryThatOutlastsBigQuerysOwnWaitIsWaitedForAndReadsEveryItem()
      throws Exception {
    BigQuerySource source = tenItemSource(waitingAtMost(Duration.ofSeconds(30)));

    List<WorkItem> items = releasingQueriesWhen("the query's job polled three times",
        jobReads(3), () -> allItems(source));

    assertThat(items).hasSize(10);
    assertThat(standIn.requests()).as("the query's job polled while it ran, then once done")
        .filteredOn(r -> r.method().equals("GET") && r.path().matches(JOB))
        .hasSizeGreaterThan(3);
    assertThat(standIn.requests()).as("its pages of rows three long, as the source asks")
        .filteredOn(r -> r.path().matches(TABLE_DATA)).hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(r -> assertThat(r.query()).contains("maxResults=3"));
    assertThat(standIn.statements()).as("the query sent once").hasSize(1);
  }

  /** Faults of the polls of a running query's job, each retried on the same job. */
  static Stream<Arguments> pollFaults() {
    return Stream.of(
        Arguments.of("503 twice", Rule.on("GET", JOB).after(1).times(2)
            .respond(503, "backendError")),
        Arguments.of("slower than the deadline", Rule.on("GET", JOB).after(1).delayAnswer(SLOW)),
        Arguments.of("the job not found yet (404)", Rule.on("GET", JOB).after(1)
            .respond(404, "notFound")));
  }

  @ParameterizedTest(name = "a poll {0}")
  @MethodSource("pollFaults")
  void aFailedPollWhileWaitingForASourceQueryIsRetriedOnTheSameJobNotByQueryingAgain(
      String fault, Rule rule) throws Exception {
    BigQuerySource source = tenItemSource(faults(rule));

    // The query ends once every fault has been injected on its running job: once a second poll
    // has reached the stand-in (the faulted poll passed on and delayed, or the one after the
    // faulted ones).
    List<WorkItem> items = releasingQueriesWhen("every fault injected", jobReads(2),
        () -> allItems(source));

    assertThat(items).hasSize(10);
    assertThat(proxy.exhausted()).as("every fault was injected: %s", proxy.applied()).isTrue();
    assertThat(standIn.statements()).as("the query sent once").hasSize(1);
  }

  @Test
  void aSinksLookUpThatOutlastsBigQuerysOwnWaitReadsEveryPageOfWhatItStores()
      throws Exception {
    standIn.createTable(DEST_ID, List.of(dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    List<Map<String, Object>> stored = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      stored.add(Map.of("url", ArticleUrl.ofTitle("S" + i).canonical(),
          "loaded_at", Fixtures.LOADED));
    }
    standIn.insert(DEST_ID, stored);
    BigQuerySink sink = BigQuerySink.builder(waitingAtMost(Duration.ofSeconds(30)), DEST).build();

    StoredKeys keys = releasingQueriesWhen("the look-up's job polled while it runs",
        jobReads(2), () -> sink.stored(new Shard(0, 1), Fixtures.LOADED));

    for (int i = 0; i < 5; i++) {
      assertThat(keys.contains(ArticleUrl.ofTitle("S" + i).canonical())).isTrue();
    }
    assertThat(standIn.statements()).as("the query sent once").hasSize(1);
  }

  @Test
  @Timeout(60)
  void anInterruptWhileWaitingForAQueryLongerThanACallsDeadlineIsAnInterruptionNotARetry()
      throws Exception {
    // Calls have 0.7 s; the wait for the query's job up to 30 s. The interrupt comes after the
    // wait has lasted longer than a call's deadline: it must end the wait, not be taken for a
    // deadline and waited through.
    BigQuerySource source = tenItemSource(BigQueryConnection.create(
        Optional.of(standIn.endpoint()), Optional.of("US"), "test-project",
        BigQueryRetry.fixed(5, Duration.ofMillis(1)).withCallTimeout(DEADLINE)
            .withJobTimeout(Duration.ofSeconds(30))));
    standIn.queriesRunUntilReleased();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean flagKept =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread reader = reader(source, failure, flagKept);
    reader.start();
    awaitRequests("the query sent", rs -> rs.stream()
        .anyMatch(r -> r.method().equals("POST") && r.path().matches(QUERIES)));
    long sentAt = System.nanoTime();
    // The length of the wait is what is tested, so time must pass here: the reader is
    // interrupted as it polls the query's job once it has waited for it over two call deadlines.
    assertThat(standIn.whenRequests(rs ->
        System.nanoTime() - sentAt > DEADLINE.multipliedBy(2).toNanos()
            && !rs.isEmpty() && isJobRead(rs.get(rs.size() - 1)))
        .thenRun(reader::interrupt)).succeedsWithin(Duration.ofSeconds(30));
    long interruptedAt = System.nanoTime();
    reader.join(30_000);

    assertThat(reader.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt))
        .as("the wait ended at the interrupt, not at the job timeout")
        .isLessThan(Duration.ofSeconds(10));
    assertThat(failure.get()).hasRootCauseInstanceOf(InterruptedException.class)
        .satisfiesAnyOf(f -> assertThat(f).isInstanceOf(java.io.InterruptedIOException.class),
            f -> assertThat(f).hasCauseInstanceOf(java.io.InterruptedIOException.class));
    assertThat(flagKept).as("the reader's interrupt flag is kept").isTrue();
    assertThat(standIn.statements()).as("the query sent once").hasSize(1);
  }

  /** The how-manyth read of a running query's job the interrupt comes at. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
  @Timeout(90)
  void anInterruptWhileAPollOfAQuerysJobIsUnderWayEndsTheWaitAsAnInterruption(int poll)
      throws Exception {
    BigQuerySource source = longQuerySource(standIn.endpoint());
    int before = standIn.requests().size();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean flagKept =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread reader = reader(source, failure, flagKept);
    // The interrupt comes as the stand-in receives the poll, before it answers it: the poll is
    // under way.
    CompletableFuture<List<RecordedRequest>> interruptedAt = standIn.whenRequests(
        rs -> jobReads(poll).test(rs.subList(before, rs.size())))
        .thenApply(rs -> {
          reader.interrupt();
          return rs;
        });
    reader.start();
    int seen = interruptedAt.get(30, TimeUnit.SECONDS).size();
    reader.join(60_000);

    assertThat(reader.isAlive()).isFalse();
    assertThat(failure.get()).as("an interruption, not the job timeout waited through")
        .hasRootCauseInstanceOf(InterruptedException.class)
        .satisfiesAnyOf(f -> assertThat(f).isInstanceOf(java.io.InterruptedIOException.class),
            f -> assertThat(f).hasCauseInstanceOf(java.io.InterruptedIOException.class));
    List<RecordedRequest> after = standIn.requests();
    assertThat(after.subList(seen, after.size())).as("nothing asked of BigQuery after the"
        + " interrupted poll").isEmpty();
    assertThat(flagKept).as("the reader's interrupt flag is kept").isTrue();
    assertThat(standIn.statements()).as("the query sent once").hasSize(2);
  }

  @Test
  @Timeout(90)
  void aPollLeftAtAnInterruptIsNotRetriedOnceItFails() throws Exception {
    // The poll under way at the interrupt gets no answer within its deadline: a failure that is
    // retried, had the step not been given up.
    proxy = FaultProxy.start(standIn.endpoint(), List.of(
        Rule.on("GET", JOB).after(1).holdAnswer(SLOW)));
    BigQuerySource source = longQuerySource(proxy.endpoint());
    int before = standIn.requests().size();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean flagKept =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread reader = reader(source, failure, flagKept);
    // The interrupt comes as the stand-in receives the first poll after the client's own read of
    // the job; the threads making BigQuery calls at that moment are the ones left running.
    Interrupted at = interruptAtJobRead(reader, before, 2);
    List<Thread> left = at.calls();

    assertThat(reader.isAlive()).isFalse();
    assertThat(left).as("the poll left running ends within its deadline")
        .isNotEmpty().noneMatch(Thread::isAlive);
    assertThat(failure.get()).as("an interruption")
        .hasRootCauseInstanceOf(InterruptedException.class);
    List<RecordedRequest> after = standIn.requests();
    assertThat(after.subList(at.seen(), after.size()))
        .as("the poll left running is not tried again after it failed").isEmpty();
    assertThat(proxy.applied()).as("the poll under way got no answer").hasSize(1);
    assertThat(flagKept).as("the reader's interrupt flag is kept").isTrue();
  }

  @Test
  @Timeout(90)
  void aQueryJobLeftRunningAtAnInterruptIsLoggedWithItsId() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Retrier.class);
    log.setContext(logger.getLoggerContext());
    log.start();
    logger.addAppender(log);
    logger.setLevel(Level.INFO);
    try {
      BigQuerySource source = longQuerySource(standIn.endpoint());
      int before = standIn.requests().size();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reader = reader(source, failure, new java.util.concurrent.atomic.AtomicBoolean());
      // The interrupt comes as the client, in the query's first call, reads the job that
      // BigQuery said runs on: that call then ends with the job, which nobody waits for.
      interruptAtJobRead(reader, before, 1);

      assertThat(failure.get()).hasRootCauseInstanceOf(InterruptedException.class);
      String job = standIn.requests().stream().skip(before)
          .filter(BigQueryFaultMatrixIT::isJobRead).findFirst().orElseThrow().path()
          .replaceAll(".*/jobs/", "");
      assertThat(log.list).as("the job left running, named so that it can be cancelled")
          .anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).contains(job, "running", "cancel");
          });
    } finally {
      logger.detachAppender(log);
      logger.setLevel(null);
    }
  }

  /**
   * A ten-item source reached through {@code endpoint}, whose calls have {@link #DEADLINE} and
   * whose query's job is waited for at most 30 s, once a first query has run (it loads the
   * analyzer, which may take longer than a call's deadline); from now on queries run until
   * released.
   */
  BigQuerySource longQuerySource(java.net.URI endpoint) throws IOException {
    BigQuerySource source = tenItemSource(BigQueryConnection.create(Optional.of(endpoint),
        Optional.of("US"), "test-project", BigQueryRetry.fixed(5, Duration.ofMillis(1))
            .withCallTimeout(DEADLINE).withJobTimeout(Duration.ofSeconds(30))));
    assertThat(allItems(tenItemSource(waitingAtMost(Duration.ofSeconds(30))))).hasSize(10);
    standIn.queriesRunUntilReleased();
    return source;
  }

  /**
   * Starts {@code reader}, interrupts it as the stand-in receives the {@code n}th read of a job
   * after the first {@code before} requests (before answering it), and waits for the reader to
   * end and for the calls it left running then.
   */
  Interrupted interruptAtJobRead(Thread reader, int before, int n) throws Exception {
    CompletableFuture<Interrupted> at = standIn.whenRequests(
        rs -> jobReads(n).test(rs.subList(before, rs.size())))
        .thenApply(rs -> {
          reader.interrupt();
          return new Interrupted(rs.size(), callThreads());
        });
    reader.start();
    Interrupted interrupted = at.get(30, TimeUnit.SECONDS);
    reader.join(60_000);
    for (Thread t : interrupted.calls()) {
      t.join(30_000);
    }
    return interrupted;
  }

  /** The requests received when the reader was interrupted; the calls it left running. */
  record Interrupted(int seen, List<Thread> calls) {}

  /** The live threads on which calls of the BigQuery client run apart (Retrier.apart). */
  static List<Thread> callThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("pixiv-bigquery-call") && t.isAlive()).toList();
  }

  /**
   * A thread, not started, that reads every item of the source's one shard, and then notes what
   * the read threw and whether its interrupt flag was set.
   */
  static Thread reader(BigQuerySource source, AtomicReference<Throwable> failure,
      java.util.concurrent.atomic.AtomicBoolean flagKept) {
    return new Thread(() -> {
      try (Stream<WorkItem> s = source.items(new Shard(0, 1))) {
        s.count();
      } catch (Throwable t) {
        failure.set(t);
      }
      flagKept.set(Thread.interrupted());
    });
  }

  /**
   * Waits until the requests the stand-in has received satisfy {@code condition} (tested as each
   * arrives), for at most 30 s.
   */
  void awaitRequests(String what, Predicate<List<RecordedRequest>> condition)
      throws InterruptedException {
    assertThat(standIn.awaitRequests(condition, Duration.ofSeconds(30)))
        .as("within 30 s: %s", what).isTrue();
  }

  /** Every item of the source's one shard. */
  static List<WorkItem> allItems(BigQuerySource source) throws IOException {
    try (Stream<WorkItem> s = source.items(new Shard(0, 1))) {
      return s.toList();
    }
  }

  /** Whether at least {@code n} reads of a job ({@code jobs.get}) reached the stand-in. */
  static Predicate<List<RecordedRequest>> jobReads(int n) {
    return rs -> rs.stream().filter(BigQueryFaultMatrixIT::isJobRead).count() >= n;
  }

  static boolean isJobRead(RecordedRequest r) {
    return r.method().equals("GET") && r.path().matches(JOB);
  }

  /**
   * Runs {@code call} on a thread of its own while the stand-in's queries run, and ends them
   * ({@link BigQueryStandIn#releaseQueries}) once the requests the stand-in received satisfy
   * {@code condition} or the call has ended; returns what the call returns, or throws what it
   * throws.
   */
  <T> T releasingQueriesWhen(String what, Predicate<List<RecordedRequest>> condition,
      Callable<T> call) throws Exception {
    standIn.queriesRunUntilReleased();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
        try {
          return call.call();
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      }, thread);
      try {
        CompletableFuture.anyOf(result, standIn.whenRequests(condition)).get(30, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("not within 30 s: " + what, e);
      } catch (ExecutionException e) {
        // The call failed: what it threw is thrown below.
      }
      standIn.releaseQueries();
      try {
        return result.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception x) {
          throw x;
        }
        throw e;
      }
    } finally {
      thread.shutdownNow();
    }
  }

  @Test
  @Timeout(60)
  void aSourceQueryStillRunningAfterTheJobTimeoutIsUnavailableNotAnEmptyShard()
      throws IOException {
    BigQuerySource source = tenItemSource(waitingAtMost(Duration.ofSeconds(2)));
    standIn.queriesRunUntilReleased();

    assertThatThrownBy(() -> source.items(new Shard(0, 1)).close())
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("was still running after 2000 ms")
        .hasMessageContaining("is cancelled; the next run queries again");
    assertThat(standIn.jobs()).as("nobody reads its rows: the query is stopped").singleElement()
        .satisfies(j -> assertThat(j.path("status").path("errorResult").path("reason").asText())
            .isEqualTo("stopped"));
  }

  @Test
  @Timeout(60)
  void aSinksLookUpStillRunningAfterTheJobTimeoutIsUnavailableNotATableStoringNothing()
      throws IOException {
    standIn.createTable(DEST_ID, List.of(dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    standIn.insert(DEST_ID, List.of(Map.of("url", ArticleUrl.ofTitle("A").canonical(),
        "loaded_at", Fixtures.LOADED)));
    BigQuerySink sink = BigQuerySink.builder(waitingAtMost(Duration.ofSeconds(2)), DEST).build();
    standIn.queriesRunUntilReleased();

    assertThatThrownBy(() -> sink.stored(new Shard(0, 1), Fixtures.LOADED))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("was still running after 2000 ms");
  }

  // ---- answers the client cannot read ----

  /**
   * Which call of the source or the sink is answered {@code {}}, and for a source whether its
   * query runs on (so that its job and results are read while it runs).
   */
  static Stream<Arguments> callsAnsweredEmpty() {
    return Stream.of(
        Arguments.of("source", "POST", QUERIES, false),
        Arguments.of("source", "GET", "/bigquery/v2/projects/[^/]+/queries/[^/]+", true),
        Arguments.of("source", "GET", JOB, true),
        Arguments.of("source", "GET", TABLE_DATA, true),
        Arguments.of("stored", "POST", QUERIES, false),
        Arguments.of("stored", "GET", TABLE, false),
        Arguments.of("write", "GET", TABLE, false),
        Arguments.of("write", "POST", UPLOAD, false),
        Arguments.of("create", "POST", TABLES, false));
  }

  @ParameterizedTest(name = "{0}: {1} {2}")
  @MethodSource("callsAnsweredEmpty")
  @Timeout(60)
  void anAnswerLackingWhatTheClientReadsIsTheStepsFailureSayingSoNotANullPointerException(
      String step, String method, String path, boolean runsOn) throws IOException {
    BigQueryConnection bq = faults(Rule.on(method, path).times(100).answer(200, "{}"));
    BigQuerySource source = tenItemSource(bq);
    if (!step.equals("create")) {
      standIn.createTable(DEST_ID, List.of(dev.pixivdic.bigquery.testing.Column.string("url"),
          dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    }
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).build();
    Callable<Object> call = () -> switch (step) {
      case "source" -> allItems(source);
      case "stored" -> sink.stored(new Shard(0, 1), Fixtures.LOADED);
      default -> {
        sink.write(batch());
        yield null;
      }
    };

    // A query that runs on ends once its job has been read while it ran (or the call failed).
    assertThatThrownBy(() -> {
      if (runsOn) {
        releasingQueriesWhen("the query's job read while it runs", jobReads(2), call);
      } else {
        call.call();
      }
    }).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery's answer to the ")
        .hasMessageContaining(" was not understood (")
        .hasMessageContaining("is the endpoint BigQuery's API?");
    assertThat(proxy.applied()).as("the call was answered {}").isNotEmpty();
  }

  /**
   * Answers the client fails on in a check of its own (a {@code checkArgument} of a name, a
   * {@code checkNotNull} of a job id it was to read), the value checked being the answer's, or
   * that name no job: not understood as well. For a load, the upload's last answer names the
   * job.
   */
  static Stream<Arguments> answersFailingAChecks() {
    return Stream.of(
        Arguments.of("stored", "GET", TABLE, "{\"tableReference\":{}}", "dataset is null"),
        Arguments.of("stored", "POST", QUERIES, "{\"jobComplete\":false,\"jobReference\":{}}",
            "jobId must be specified"),
        Arguments.of("write", "PUT", UPLOAD, "{}", "the job it answered with has no id"),
        Arguments.of("write", "PUT", UPLOAD, "{\"jobReference\":{}}",
            "the job it answered with has no id"));
  }

  @ParameterizedTest(name = "{0}: {1} {2} {3}")
  @MethodSource("answersFailingAChecks")
  @Timeout(60)
  void anAnswerWhoseValueTheClientsChecksRefuseIsNotUnderstoodAndNothingIsCounted(String step,
      String method, String path, String body, String detail) throws IOException {
    BigQueryConnection bq = faults(Rule.on(method, path).times(100).answer(200, body));
    standIn.createTable(DEST_ID, List.of(dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).build();

    assertThatThrownBy(() -> {
      if (step.equals("stored")) {
        sink.stored(new Shard(0, 1), Fixtures.LOADED);
      } else {
        sink.write(batch());
      }
    }).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery's answer to the ")
        .hasMessageContaining(" was not understood (")
        .hasMessageContaining(detail)
        .hasMessageContaining("is the endpoint BigQuery's API?");
    assertThat(proxy.applied()).as("the call was answered " + body).isNotEmpty();
  }

  @Test
  @Timeout(60)
  void aLoadsJobPolledAndAnsweredEmptyIsNotUnderstoodAtOnceNotWaitedForUntilTheJobTimeout()
      throws IOException {
    // The upload's last answer says the load runs; every poll of its job is answered {}.
    String running = "{\"kind\":\"bigquery#job\",\"jobReference\":{\"projectId\":"
        + "\"test-project\",\"jobId\":\"load_a1\",\"location\":\"US\"},"
        + "\"status\":{\"state\":\"RUNNING\"}}";
    proxy = FaultProxy.start(standIn.endpoint(), List.of(
        Rule.on("PUT", UPLOAD).times(100).answer(200, running),
        Rule.on("GET", JOB).times(100).answer(200, "{}")));
    BigQueryConnection bq = BigQueryConnection.create(Optional.of(proxy.endpoint()),
        Optional.of("US"), "test-project", BigQueryRetry.fixed(5, Duration.ofMillis(1))
            .withCallTimeout(DEADLINE).withJobTimeout(Duration.ofSeconds(20)));
    standIn.createTable(DEST_ID, List.of(dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> sink.write(batch()))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery's answer to the load job ")
        .hasMessageContaining(" was not understood (the job it answered with has no"
            + " status.state)")
        .hasMessageNotContaining("still running");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the job timeout's wait")
        .isLessThan(Duration.ofSeconds(20));
    assertThat(proxy.applied()).as("a poll was answered {}").anyMatch(a -> a.contains("GET"));
    assertThat(standIn.rows(DEST_ID)).isEmpty();
  }

  // ---- tables ----

  @Test
  void aTableRead503AndATableCreationWhoseAnswerIsLostEndInOneTable() throws IOException {
    writeAndExpectStoredOnce(faults(Rule.on("GET", TABLE).respond(503, "backendError"),
        Rule.on("POST", TABLES).loseAnswer()));
  }

  // ---- query jobs ----

  @Test
  void aMergeWhoseAnswerIsLostAndWhoseLookupMissesAtFirstMergesOnce() throws IOException {
    BigQueryConnection bq = faults(Rule.on("POST", JOBS).loseAnswer(),
        Rule.on("GET", JOB).respond(404, "notFound"));
    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).mode(BigQuerySink.Mode.MERGE)
        .runId("run-1").shard(new Shard(0, 1)).build()) {
      sink.write(batch());
    }
    assertThat(standIn.rows(DEST_ID)).hasSize(3);
    assertThat(standIn.jobs()).filteredOn(j -> j.path("configuration").has("query"))
        .hasSize(1);
    assertThat(proxy.exhausted()).isTrue();
  }

  @Test
  void aMergeWhoseJobCannotBeReadAfterItsLostAnswerIsUnavailableNotAnInternalError()
      throws IOException {
    // The client answers a 409 on a query job by reading the job itself; a read that missed
    // every time made it throw a NullPointerException (exit 1, the merged rows reported lost).
    BigQueryConnection bq = faults(Rule.on("POST", JOBS).loseAnswer(),
        Rule.on("GET", JOB).respond(404, "notFound").times(1000));
    BigQuerySink sink = BigQuerySink.builder(bq, DEST).mode(BigQuerySink.Mode.MERGE)
        .runId("run-1").shard(new Shard(0, 1)).build();
    sink.write(batch());

    assertThatThrownBy(sink::close).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("exists (409) but cannot be read yet");
    assertThat(standIn.jobs()).filteredOn(j -> j.path("configuration").has("query"))
        .hasSize(1);
  }

  @Test
  @Timeout(60)
  void aMergeWhoseLostAnswerTheClientReportsAsABareUncheckedIOExceptionIsReadBackAndMergesOnce()
      throws Exception {
    // The MERGE's job is made, its answer lost, and the client reports that as a bare
    // UncheckedIOException (a client given to BigQueryConnection.of may). One attempt a call,
    // and the job still runs when it is first read: only the read of the job by its id right
    // after the failure, waited for until done, finds that the rows were merged.
    proxy = FaultProxy.start(standIn.endpoint(), List.of(Rule.on("POST", JOBS).loseAnswer()));
    BigQuery client = BigQueryOptions.newBuilder().setProjectId("test-project")
        .setHost(proxy.endpoint().toString()).setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getNoRetrySettings()).setLocation("US").build()
        .getService();
    BigQueryConnection bq = BigQueryConnection.of(reportingNoAnswerUnchecked(client),
        Optional.of("US"), BigQueryRetry.fixed(1, Duration.ofMillis(1)));
    BigQuerySink sink = mergeSink(bq, "run-1");
    sink.write(batch());

    // The merge ends once its job has been read twice while it runs.
    releasingQueriesWhen("the MERGE's job read twice after it was made", rs -> {
      int made = rs.stream().filter(r -> r.method().equals("POST") && r.path().matches(JOBS))
          .findFirst().map(rs::indexOf).orElse(rs.size());
      return rs.subList(made, rs.size()).stream()
          .filter(BigQueryFaultMatrixIT::isJobRead).count() >= 2;
    }, () -> {
      sink.close();
      return null;
    });

    assertThat(standIn.rows(DEST_ID)).hasSize(3);
    assertThat(standIn.jobs()).filteredOn(j -> j.path("configuration").has("query"))
        .hasSize(1);
    assertThat(proxy.applied()).as("the MERGE's answer was lost").hasSize(1);
  }

  /**
   * {@code client}, reporting a call that got no answer (the client's {@link BigQueryException}
   * of code 0 caused by an {@link IOException}) as a bare {@link UncheckedIOException}.
   */
  static BigQuery reportingNoAnswerUnchecked(BigQuery client) {
    return (BigQuery) java.lang.reflect.Proxy.newProxyInstance(BigQuery.class.getClassLoader(),
        new Class<?>[] {BigQuery.class}, (self, method, args) -> {
          try {
            return method.invoke(client, args);
          } catch (InvocationTargetException e) {
            if (e.getCause() instanceof BigQueryException b && b.getCode() == 0
                && b.getCause() instanceof IOException io) {
              throw new UncheckedIOException(io);
            }
            throw e.getCause();
          }
        });
  }

  @Test
  @Timeout(120)
  void twoRunsWideningTheDestinationAtOnceBothMergeWithEveryColumnOfBoth() throws Exception {
    // Each run's rows carry a pass-through column the other's lack, so each MERGE first adds
    // its own column to the destination. The second run reads the schema and sends its update,
    // which is held while the first run adds its column and merges; BigQuery then refuses an
    // update that lacks the first run's column.
    proxy = FaultProxy.start(standIn.endpoint(),
        List.of(Rule.on("POST", TABLE).hold(Duration.ofSeconds(60))));
    // Calls of the default deadline, longer than the hold: not tried again meanwhile.
    BigQueryConnection second = BigQueryConnection.create(Optional.of(proxy.endpoint()),
        Optional.of("US"), "test-project", BigQueryRetry.fixed(5, Duration.ofMillis(1)));
    BigQuerySink a = mergeSink(waitingAtMost(Duration.ofMinutes(1)), "run-a");
    BigQuerySink b = mergeSink(second, "run-b");
    a.write(List.of(row("A", 1).toBuilder().passThrough("genre", "g").build()));
    b.write(List.of(row("B", 2).toBuilder().passThrough("category", "c").build()));

    java.util.concurrent.CompletableFuture<Void> closing =
        java.util.concurrent.CompletableFuture.runAsync(() -> {
          try {
            b.close();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    assertThat(proxy.awaitHeld(1, Duration.ofSeconds(60)))
        .as("the second run's schema update is under way").isTrue();
    a.close();
    proxy.release();
    closing.get(60, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(standIn.columns(DEST_ID)).extracting(c -> c.name())
        .contains("genre", "category");
    assertThat(standIn.rows(DEST_ID)).hasSize(2)
        .anySatisfy(r -> assertThat(r).containsEntry("url", ArticleUrl.ofTitle("A").canonical())
            .containsEntry("genre", "g"))
        .anySatisfy(r -> assertThat(r).containsEntry("url", ArticleUrl.ofTitle("B").canonical())
            .containsEntry("category", "c"));
    assertThat(standIn.requests()).as("schema updates: the first run's, the second's refused"
        + " and sent again from the schema read anew")
        .filteredOn(r -> r.method().equals("POST") && r.path().matches(TABLE)).hasSize(3);
    assertThat(proxy.exhausted()).isTrue();
  }

  BigQuerySink mergeSink(BigQueryConnection bq, String runId) {
    return BigQuerySink.builder(bq, DEST).mode(BigQuerySink.Mode.MERGE).runId(runId)
        .shard(new Shard(0, 1)).build();
  }

  @Test
  void aViewDdlWhoseAnswerIsLostLeavesTheView() throws IOException {
    BigQueryConnection bq = faults(Rule.on("POST", JOBS).loseAnswer());
    standIn.createTable(DEST_ID, List.of(dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));
    BigQueryTables.createLastScrapedView(bq, DEST, DEST.sibling("v"));
    assertThat(standIn.hasTable("test-project.ds.v")).isTrue();
  }

  @Test
  void aViewDdlWhoseAnswerIsLostInASingleRegionDatasetIsReadBackWithoutALocationGiven()
      throws IOException {
    standIn.datasetLocation("test-project.ds", "asia-northeast1");
    BigQueryConnection bq = faultsWithoutLocation(Rule.on("POST", JOBS).loseAnswer());
    standIn.createTable(DEST_ID, List.of(dev.pixivdic.bigquery.testing.Column.string("url"),
        dev.pixivdic.bigquery.testing.Column.of("loaded_at", "TIMESTAMP")));

    BigQueryTables.createLastScrapedView(bq, DEST, DEST.sibling("v"));

    assertThat(standIn.hasTable("test-project.ds.v")).isTrue();
    assertThat(standIn.jobs()).singleElement().satisfies(j -> assertThat(
        j.path("jobReference").path("location").asText()).isEqualTo("asia-northeast1"));
  }

  @Test
  void aDatasetThatCannotBeReadLeavesJobIdsWithoutALocationAndTheLoadGoesOn()
      throws IOException {
    BigQueryConnection bq = faultsWithoutLocation(Rule.on("GET", DATASET).times(50)
        .respond(503, "backendError"));

    try (BigQuerySink sink = BigQuerySink.builder(bq, DEST).build()) {
      sink.write(batch());
      sink.write(List.of(row("D", 4)));
    }

    assertThat(standIn.rows(DEST_ID)).hasSize(4);
    assertThat(proxy.applied()).as("one read of the dataset before each load, not retried")
        .filteredOn(a -> a.contains("GET") && !a.contains("/tables")).hasSize(2);
  }

  @Test
  void aViewDdlOnADestinationThatDoesNotExistIsRefused() throws IOException {
    BigQueryConnection bq = faults();
    assertThatThrownBy(() -> BigQueryTables.createLastScrapedView(bq, DEST, DEST.sibling("v")))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("pixiv_detail_info");
  }

  // ---- ledger and resolution sink ----

  @Test
  void aLedgerLoadWhoseAnswerIsLostRecordsTheRunOnce() throws IOException {
    BigQueryConnection bq = faults(Rule.on("PUT", UPLOAD).loseAnswer(),
        Rule.on("GET", JOB).respond(404, "notFound"));
    RunLedger.create(bq, DEST.sibling(RunLedger.DEFAULT_TABLE)).record(
        RunRecord.builder("run-1", "scrape", 0, 1).startedAt(Fixtures.LOADED)
            .finishedAt(Fixtures.LOADED).build());
    assertThat(standIn.rows("test-project.ds.scrape_runs")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("run_id", "run-1"));
  }

  @Test
  void aResolutionLoadWhoseAnswerIsLostIsWrittenOnce() throws IOException {
    BigQueryConnection bq = faults(Rule.on("PUT", UPLOAD).loseAnswer(),
        Rule.on("GET", JOB).times(2).respond(404, "notFound"));
    BigQueryResolutionSink sink = BigQueryResolutionSink.create(bq,
        DEST.sibling("resolved"), 1L << 30);
    sink.write(List.of(new ResolutionRow("初音ミク", "初音ミク", null, null, 0L, Fixtures.LOADED,
        ResolutionRow.Status.NO_MATCH, 1, "run-1", "test", Map.of())));
    assertThat(standIn.rows("test-project.ds.resolved")).hasSize(1);
  }
}
