package dev.pixivdic.bigquery.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A BigQuery REST endpoint on loopback for tests, to which the real google-cloud-bigquery client
 * (or a {@code pixiv} process given {@code --bigquery-endpoint}) talks as it would to BigQuery.
 *
 * <p>It holds tables and their rows and answers by them: tables are read, created, patched and
 * deleted; load jobs (resumable uploads of NDJSON) append rows, create the table when allowed
 * and add fields under {@code ALLOW_FIELD_ADDITION}, all or nothing; queries and query jobs are
 * analyzed and evaluated by ZetaSQL, BigQuery's own SQL analyzer and its reference evaluator,
 * over the rows held, with the named parameters as sent, so an answer is computed from the data
 * and never from recognising a statement. A statement that does not analyze is answered as
 * BigQuery answers it ({@code 400 invalidQuery} with the analyzer's message). An insert-only
 * MERGE and {@code CREATE VIEW} are carried out too; other DDL and DML are refused as not
 * modelled. A job id that is taken answers 409. Every request is recorded.
 *
 * <p>Not modelled: datasets (any exists), IAM (but for {@link #denyTableCreation}), quotas,
 * billing, legacy SQL, RECORD columns, streaming inserts, the query planner, time travel.
 * Results are computed at once: a job is DONE when it is created.
 *
 * <pre>
 * try (BigQueryStandIn bq = BigQueryStandIn.start()) {
 *   bq.createTable("my-project.ds.names", List.of(Column.string("name")));
 *   bq.insert("my-project.ds.names", List.of(Map.of("name", "初音ミク")));
 *   // point the code at bq.endpoint(), e.g. pixiv ... --bigquery-endpoint bq.endpoint()
 *   List&lt;Map&lt;String, Object&gt;&gt; rows = bq.rows("my-project.ds.pixiv_detail_info");
 * }
 * </pre>
 *
 * <p>Thread-safe: requests are served one at a time. Table names are
 * {@code project.dataset.table}. Row values are String, Long, Double, Boolean, Instant
 * (TIMESTAMP), LocalDate, LocalDateTime, BigDecimal (NUMERIC) or null, and a List for a
 * REPEATED column.
 */
public final class BigQueryStandIn implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final Rest rest;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  /** Waits on the requests, guarded by {@link #requests}. */
  private final List<Watch> watches = new ArrayList<>();

  private BigQueryStandIn(HttpServer server, ExecutorService executor, Rest rest) {
    this.server = server;
    this.executor = executor;
    this.rest = rest;
  }

  /**
   * Starts a stand-in on 127.0.0.1 on a free port.
   *
   * @throws IOException when no port can be bound
   */
  public static BigQueryStandIn start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newCachedThreadPool(new ThreadFactoryBuilder()
        .setNameFormat("bigquery-stand-in-%d").setDaemon(true).build());
    server.setExecutor(executor);
    BigQueryStandIn standIn = new BigQueryStandIn(server, executor, new Rest());
    server.createContext("/", standIn::handle);
    server.start();
    return standIn;
  }

  /**
   * Puts every dataset not placed by {@link #datasetLocation} in {@code location} (else
   * {@code US}), as a project whose datasets are all in one region.
   */
  public void datasetsLocation(String location) {
    synchronized (rest) {
      rest.catalog.locateAll(requireNonNull(location, "location"));
    }
  }

  /**
   * Puts dataset {@code dataset} ({@code project.dataset}) in {@code location}, a single region
   * such as {@code asia-northeast1} (every dataset is in {@code US} otherwise, or where
   * {@link #datasetsLocation} says): its {@code datasets.get} says so, a job sent without a
   * location runs there, and, as in BigQuery, {@code jobs.get} of such a job answers 404 unless
   * it names that location, and a job that names another location than its tables' answers 404
   * ({@code Not found: Dataset p:d was not found in location L}).
   */
  public void datasetLocation(String dataset, String location) {
    synchronized (rest) {
      rest.catalog.locate(requireNonNull(dataset, "dataset"), requireNonNull(location,
          "location"));
    }
  }

  /**
   * Lets no one make a table or view in dataset {@code project.dataset} from now on, as for a
   * service account granted {@code roles/bigquery.dataEditor} on the dataset's tables alone:
   * {@code tables.insert} answers {@code 403 accessDenied}, a {@code CREATE VIEW} that would
   * make a view fails with {@code accessDenied} (a query job ends with it as its
   * {@code errorResult}), and so does a load into a table that does not exist. Tables that
   * exist are read, loaded into, patched and queried as before.
   *
   * @throws IllegalArgumentException when the name is not {@code project.dataset}
   */
  public void denyTableCreation(String dataset) {
    synchronized (rest) {
      rest.catalog.denyTableCreation(dataset);
    }
  }

  /**
   * Makes every query sent to {@code jobs.query} from now on run until {@link #releaseQueries},
   * as a large query does in BigQuery: until then the query's answer and
   * {@code getQueryResults} say {@code jobComplete: false} without rows, and {@code jobs.get}
   * says {@code RUNNING}. So does every query job ({@code jobs.insert}) that does not fail: its
   * answer and {@code jobs.get} say {@code RUNNING} (what it does, a MERGE's rows say, is done
   * at once). By default every query ends at once. A test decides when the queries
   * end (after it has seen their jobs polled, say), so that nothing depends on how fast the
   * machine runs.
   */
  public void queriesRunUntilReleased() {
    synchronized (rest) {
      if (rest.queryRelease == null) {
        rest.queryRelease = new CountDownLatch(1);
      }
    }
  }

  /**
   * Ends every query held by {@link #queriesRunUntilReleased}: their jobs are done, their rows
   * readable. Queries sent from now on end at once again. Does nothing when none is held.
   */
  public void releaseQueries() {
    synchronized (rest) {
      if (rest.queryRelease != null) {
        rest.queryRelease.countDown();
        rest.queryRelease = null;
      }
    }
  }

  /** The endpoint to give the client: {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Creates an empty table.
   *
   * @throws IllegalArgumentException when the name is not {@code project.dataset.table}, the
   *     table exists, or a column is listed twice
   */
  public void createTable(String table, List<Column> columns) {
    requireNonNull(columns, "columns");
    synchronized (rest) {
      rest.catalog.createTable(table, columns);
    }
  }

  /**
   * Deletes dataset {@code project.dataset} with its tables. Until then every dataset a request
   * names exists (as if the project held whichever one a test uses); after it, the dataset
   * answers 404 and no table can be made in it, as BigQuery answers for a dataset never made.
   *
   * @throws IllegalArgumentException when the name is not {@code project.dataset}
   */
  public void deleteDataset(String dataset) {
    synchronized (rest) {
      rest.catalog.deleteDataset(dataset);
    }
  }

  /**
   * Appends rows to a table, each converted to its column's type as a load job would.
   *
   * @throws IllegalArgumentException when the table does not exist, a row names a column the
   *     table lacks, or a value does not fit its column
   */
  public void insert(String table, List<? extends Map<String, ?>> rows) {
    requireNonNull(rows, "rows");
    synchronized (rest) {
      rest.catalog.insert(table, rows);
    }
  }

  /**
   * Creates the table if missing, with a STRING column for every key of the rows (in order of
   * appearance), and appends the rows: the quick way to seed a source table.
   */
  public void seed(String table, List<? extends Map<String, ?>> rows) {
    requireNonNull(rows, "rows");
    synchronized (rest) {
      if (rest.catalog.table(table).isEmpty()) {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.addAll(r.keySet()));
        rest.catalog.createTable(table, names.stream().map(Column::string).toList());
      }
      rest.catalog.insert(table, rows);
    }
  }

  /** Whether the table (or view) exists. */
  public boolean hasTable(String table) {
    synchronized (rest) {
      return rest.catalog.table(table).isPresent();
    }
  }

  /** A copy of the table's REST resource (schema, partitioning, clustering, ...). */
  public Optional<JsonNode> table(String table) {
    synchronized (rest) {
      return rest.catalog.table(table).map(t -> (JsonNode) t.resource.deepCopy());
    }
  }

  /** The table's columns; empty when it does not exist. */
  public List<Column> columns(String table) {
    synchronized (rest) {
      return rest.catalog.table(table).map(StoredTable::columns).orElse(List.of());
    }
  }

  /**
   * The table's rows in the order they were added, each with every column of the table (its
   * own spelling of the name) in table order; empty when the table does not exist.
   */
  public List<Map<String, Object>> rows(String table) {
    synchronized (rest) {
      Optional<StoredTable> t = rest.catalog.table(table);
      if (t.isEmpty()) {
        return List.of();
      }
      List<Map<String, Object>> out = new ArrayList<>();
      List<Column> columns = t.get().columns();
      for (Map<String, Object> row : t.get().rows) {
        Map<String, Object> copy = new LinkedHashMap<>();
        columns.forEach(c -> copy.put(c.name(), StoredTable.value(row, c.name())));
        out.add(java.util.Collections.unmodifiableMap(copy));
      }
      return List.copyOf(out);
    }
  }

  /** Every request received so far, in order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * Completes, with the requests received until then ({@link #requests()}), as soon as they
   * satisfy {@code condition}: at once when they already do, else on the request that makes
   * them. The condition is tested as each request is received, before it is answered, on a
   * thread of the stand-in; it must be quick and must not call the stand-in. Never completes
   * when no request makes the condition hold: a caller bounds its wait.
   */
  public CompletableFuture<List<RecordedRequest>> whenRequests(
      Predicate<? super List<RecordedRequest>> condition) {
    requireNonNull(condition, "condition");
    CompletableFuture<List<RecordedRequest>> met = new CompletableFuture<>();
    synchronized (requests) {
      List<RecordedRequest> now = List.copyOf(requests);
      if (condition.test(now)) {
        met.complete(now);
      } else {
        watches.add(new Watch(condition, met));
      }
    }
    return met;
  }

  /**
   * Waits until the requests received satisfy {@code condition} ({@link #whenRequests}), or
   * until {@code timeout} has passed.
   *
   * @return whether they did
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public boolean awaitRequests(Predicate<? super List<RecordedRequest>> condition,
      Duration timeout) throws InterruptedException {
    try {
      whenRequests(condition).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Records a request and completes the waits it satisfies. */
  private void record(RecordedRequest request) {
    synchronized (requests) {
      requests.add(request);
      List<RecordedRequest> now = List.copyOf(requests);
      watches.removeIf(w -> {
        try {
          return w.condition().test(now) && w.met().complete(now);
        } catch (RuntimeException e) {
          return w.met().completeExceptionally(e);
        }
      });
    }
  }

  /** A {@link #whenRequests} not yet met. */
  private record Watch(Predicate<? super List<RecordedRequest>> condition,
      CompletableFuture<List<RecordedRequest>> met) {}

  /** Every SQL statement received so far (queries and query jobs), in order. */
  public List<Statement> statements() {
    synchronized (rest) {
      return List.copyOf(rest.statements);
    }
  }

  /** Copies of the jobs created so far (loads and queries), in order of creation. */
  public List<JsonNode> jobs() {
    synchronized (rest) {
      return rest.jobs.all().stream().map(j -> (JsonNode) j.deepCopy()).toList();
    }
  }

  /** The load jobs that succeeded so far. */
  public long loadJobs() {
    synchronized (rest) {
      return rest.jobs.all().stream()
          .filter(j -> j.path("configuration").has("load"))
          .filter(j -> !j.path("status").has("errorResult")).count();
    }
  }

  /**
   * Waits until at least {@code n} load jobs have succeeded ({@link #loadJobs()}), or until
   * {@code timeout} has passed.
   *
   * @return whether they had
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public boolean awaitLoadJobs(long n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (rest) {
      while (loadJobs() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(rest, left);
      }
      return true;
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = Http.body(ex);
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
      record(new RecordedRequest(method, uri.getPath(), query,
          new String(body, StandardCharsets.UTF_8)));
      // The client sends PATCH as POST with this header, which Google's APIs accept.
      String override = ex.getRequestHeaders().getFirst("X-HTTP-Method-Override");
      if (method.equals("POST") && override != null && !override.isBlank()) {
        method = override.strip().toUpperCase(java.util.Locale.ROOT);
      }
      String host = ex.getRequestHeaders().getFirst("X-Forwarded-Host");
      if (host == null) {
        host = ex.getRequestHeaders().getFirst("Host");
      }
      Rest.Answer answer;
      synchronized (rest) {
        try {
          answer = rest.answer(method, uri.getPath(), query, body,
              ex.getRequestHeaders().getFirst("Content-Range"), "http://" + host);
        } catch (StandInException e) {
          answer = new Rest.Answer(e.status, Http.error(e.status, e.reason, e.getMessage()),
              Map.of());
        } catch (RuntimeException e) {
          // A bug of the stand-in or a case it does not model: loud, and not retryable.
          answer = new Rest.Answer(400, Http.error(400, "invalid",
              "the BigQuery stand-in failed: " + e), Map.of());
        }
        // Whatever the request changed, awaitLoadJobs looks again.
        rest.notifyAll();
      }
      answer.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      if (answer.body() == null) {
        Http.empty(ex, answer.status());
      } else {
        Http.send(ex, answer.status(), answer.body());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
