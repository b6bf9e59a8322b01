package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.pixivdic.core.internal.ScraperVersion;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Fetcher} over {@link HttpClient}: one global rate limit and a bound on requests
 * in flight for all calling threads, retries with exponential backoff and jitter on I/O errors,
 * timeouts, 429 and 500-504 honouring {@code Retry-After}, robots.txt fetched once per fetcher,
 * gzip, a body size cap, and redirects followed only within the site.
 *
 * <p>Thread-safe. One instance is meant to serve one run: its robots.txt and limits are
 * shared by every thread that calls {@link #get}. Build with {@link #builder()}.
 */
public final class HttpFetcher implements Fetcher {

  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);

  private static final Set<Integer> RETRYABLE = Set.of(429, 500, 501, 502, 503, 504);
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final String ACCEPT =
      "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8";
  static final URI ROBOTS_URI = URI.create(SiteMapping.SITE + "/robots.txt");

  /** What came back for one HTTP request; {@code siteUri} is the site form that was asked. */
  private record Exchange(URI siteUri, int status, String contentType, byte[] body,
      String location, String retryAfter) {}

  /** Where a deferred call stopped: its retry state, continued by the next get of its URI. */
  private record Deferred(Execution<Exchange> execution, int attempts, long start) {}

  private final HttpClient client;
  private final ExecutorService ownedExecutor;
  private final SiteMapping site;
  private final String userAgent;
  private final Duration requestTimeout;
  private final long maxBodyBytes;
  private final int maxAttempts;
  private final Duration maxRetryAfter;
  private final int maxRedirects;
  private final boolean respectRobots;
  private final Sleeper sleeper;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private final IntervalLimiter limiter;
  // A fair semaphore rather than Failsafe's Bulkhead: waiting here must be interruptible and
  // unbounded in time (a worker simply waits its turn), which a plain semaphore says directly.
  private final Semaphore inFlight;
  private final RetryPolicy<Exchange> retryPolicy;
  private final StatsRecorder stats = new StatsRecorder();
  private final RobotsGate robots;
  private final SiteBreaker breaker;
  private final boolean deferRetries;
  // Deferred calls by site URI; an entry lives from the RetryLaterException to the next get.
  private final Map<URI, Deferred> deferred = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private HttpFetcher(Builder b) {
    this.site = new SiteMapping(b.origin);
    this.userAgent = b.userAgent;
    this.requestTimeout = b.requestTimeout;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxAttempts = b.maxAttempts;
    this.maxRetryAfter = b.maxRetryAfter;
    this.maxRedirects = b.maxRedirects;
    this.respectRobots = b.respectRobots;
    this.deferRetries = b.deferRetries;
    this.sleeper = b.sleeper;
    this.nanoTime = b.nanoTime;
    this.clock = b.clock;
    this.limiter = new IntervalLimiter(
        Duration.ofNanos((long) (1e9 / b.qps)), b.nanoTime, b.sleeper);
    this.inFlight = new Semaphore(b.concurrency, true);
    this.breaker = new SiteBreaker(b.breakerFailures, b.breakerSilence, b.nanoTime,
        site.origin().toString());
    this.robots = new RobotsGate(ROBOTS_URI, productToken(b.userAgent), limiter, stats,
        uri -> fetch(uri, nanoTime.getAsLong(), false, null, false), site.origin().toString());

    RetryPolicyBuilder<Exchange> retry = RetryPolicy.<Exchange>builder()
        .handleIf((Exchange r, Throwable t) -> t != null
            ? t instanceof IOException && !(t instanceof FetchException)
            : RETRYABLE.contains(r.status()))
        .withMaxAttempts(b.maxAttempts);
    if (b.backoffMax.compareTo(b.backoffBase) > 0) {
      retry.withBackoff(b.backoffBase, b.backoffMax);
    } else {
      retry.withDelay(b.backoffBase);
    }
    // Jitter spreads the retries of workers that failed together; Retry-After is applied
    // after it (as a floor), so jitter never shortens what the site asked for.
    this.retryPolicy = retry.withJitter(0.25).build();

    Executor executor = b.executor;
    if (executor == null) {
      ownedExecutor = Executors.newCachedThreadPool(new ThreadFactoryBuilder()
          .setNameFormat("pixiv-fetch-http-%d").setDaemon(true).build());
      executor = ownedExecutor;
    } else {
      ownedExecutor = null;
    }
    HttpClient.Builder client = HttpClient.newBuilder();
    if (b.proxy.isUsed()) {
      client.proxy(b.proxy.selector()).authenticator(b.proxy.authenticator());
    }
    this.client = client
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        // HTTP/2 over TLS where the server offers it; plain-http origins (a local mirror or
        // test server) get HTTP/1.1, sparing them the h2c upgrade handshake.
        .version("https".equalsIgnoreCase(b.origin.getScheme())
            ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .executor(executor)
        .build();

    log.info("Fetcher: origin {}, one request per {} at most, {} in flight, User-Agent '{}'",
        site.origin(), Durations.format(limiter.interval()), b.concurrency, userAgent);
    if (b.proxy.isUsed()) {
      log.info("Fetcher: through {} to {}", b.proxy.proxyFor(site.origin())
          .map(ProxySettings.Endpoint::toString).orElse("no proxy (NO_PROXY)"), site.origin());
    }
    if (!respectRobots) {
      log.warn("!!! robots.txt is IGNORED (--ignore-robots): paths that {} disallows will be "
          + "fetched anyway. Do this only with the site's permission. !!!", ROBOTS_URI);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The default User-Agent: names this tool, its version and a contact URL. */
  public static String defaultUserAgent() {
    return "pixiv-dic/" + ScraperVersion.get()
        + " (+https://github.com/pixiv-dic/pixiv-dic; batch collector of dic.pixiv.net"
        + " article data) Mozilla/5.0 compatible";
  }

  @Override
  public FetchResponse get(URI siteUri) throws IOException, InterruptedException {
    SiteMapping.requireSite(siteUri);
    if (closed) {
      throw new IllegalStateException("fetcher is closed; cannot GET " + siteUri);
    }
    Deferred resumed = deferred.remove(siteUri);
    long start = resumed != null ? resumed.start() : nanoTime.getAsLong();
    try {
      if (respectRobots && resumed == null) {
        robots.check(siteUri);
      }
      return fetch(siteUri, start, respectRobots, resumed, deferRetries);
    } catch (RobotsDisallowedException e) {
      throw e;
    } catch (FetchException e) {
      stats.failure();
      throw e;
    }
  }

  @Override
  public FetchStats stats() {
    return stats.snapshot();
  }

  /** Stops the HTTP client's threads when the fetcher made them; later calls to get fail. */
  @Override
  public void close() {
    closed = true;
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  /**
   * The attempts of one call, from the first or from where a deferred call stopped
   * ({@code resumed}); a {@code deferrable} call throws {@link RetryLaterException} instead of
   * waiting out a retry delay (robots.txt is never deferred: every call waits for it).
   */
  private FetchResponse fetch(URI siteUri, long start, boolean robotsOnRedirect,
      Deferred resumed, boolean deferrable) throws IOException, InterruptedException {
    // Failsafe decides whether and after how long to retry (backoff, jitter, attempts); its
    // standalone Execution leaves the waiting to us, so every delay goes through the
    // injected Sleeper, where tests observe it, and Retry-After can raise it.
    Execution<Exchange> execution = resumed != null ? resumed.execution()
        : Execution.of(retryPolicy);
    Exchange last = null;
    IOException lastError = null;
    int lastStatus = -1;
    int attempt = resumed != null ? resumed.attempts() : 0;
    while (true) {
      attempt++;
      try {
        last = followRedirects(siteUri, attempt, robotsOnRedirect);
        lastError = null;
        lastStatus = last.status();
        execution.recordResult(last);
      } catch (FetchException e) {
        throw e; // Not worth retrying: the same request would be refused the same way.
      } catch (IOException e) {
        last = null;
        lastError = e;
        execution.recordException(e);
        // A dead site ends the call (and the run) now rather than after every retry.
        breaker.check(siteUri, attempt);
      }
      if (execution.isComplete()) {
        break;
      }
      Duration delay = execution.getDelay();
      String what;
      boolean askedToWait = false;
      if (last != null) {
        what = "status " + last.status();
        Optional<Duration> asked = RetryAfter.parse(last.retryAfter(), clock.instant());
        if (asked.isPresent()) {
          if (asked.get().compareTo(maxRetryAfter) > 0) {
            throw new FetchException("GET " + siteUri + ": the site answered " + last.status()
                + " with Retry-After '" + last.retryAfter() + "' (" + Durations.format(asked.get())
                + "), longer than the longest wait honoured (" + Durations.format(maxRetryAfter)
                + "); giving up",
                siteUri, attempt, last.status(), null);
          }
          what += ", Retry-After " + Durations.format(asked.get());
          askedToWait = true;
          if (asked.get().compareTo(delay) > 0) {
            delay = asked.get();
          }
          // The site asked the client, not this request, to wait: no worker sends until then.
          limiter.pauseFor(asked.get());
        }
      } else {
        what = String.valueOf(lastError);
      }
      log.warn("GET {}: {} on attempt {}/{}; retrying in {}",
          siteUri, what, attempt, maxAttempts, Durations.format(delay));
      stats.retry();
      if (deferrable) {
        // The caller waits, not this thread: it re-asks after the delay and carries on here.
        deferred.put(siteUri, new Deferred(execution, attempt, start));
        throw new RetryLaterException(siteUri, delay, soonest(delay, attempt, askedToWait),
            attempt, what);
      }
      sleeper.sleep(delay);
    }
    if (last == null) {
      // As text: SLF4J would take a last Throwable argument for a stack trace, not for the {}.
      log.warn("GET {}: giving up after {} attempt(s): {}", siteUri, attempt,
          String.valueOf(lastError));
      throw new FetchException("GET " + siteUri + " failed after " + attempt + " attempt(s): "
          + lastError, siteUri, attempt, lastStatus, lastError);
    }
    if (RETRYABLE.contains(last.status())) {
      log.warn("GET {}: still status {} after {} attempt(s); returning it",
          siteUri, last.status(), attempt);
    }
    return new FetchResponse(siteUri, last.siteUri(), last.status(), last.contentType(),
        last.body(), attempt, Duration.ofNanos(nanoTime.getAsLong() - start));
  }

  /**
   * How soon a deferred retry may go when its caller has nothing else to send: after a first
   * failure that came without {@code Retry-After}, one request interval of the rate limit (the
   * site sees no more than its budget either way, and a passing failure needs no more); after
   * a second failure, or when the site asked for a wait, the whole delay.
   */
  private Duration soonest(Duration delay, int attempt, boolean askedToWait) {
    if (attempt > 1 || askedToWait) {
      return delay;
    }
    Duration interval = limiter.interval();
    return interval.compareTo(delay) < 0 ? interval : delay;
  }

  private Exchange followRedirects(URI siteUri, int attempt, boolean robotsOnRedirect)
      throws IOException, InterruptedException {
    URI current = siteUri;
    for (int hop = 0; ; hop++) {
      Exchange ex = exchange(current, siteUri, attempt);
      if (!REDIRECTS.contains(ex.status()) || ex.location() == null) {
        return ex;
      }
      URI target;
      try {
        target = site.toOrigin(current).resolve(ex.location().trim());
      } catch (IllegalArgumentException e) {
        throw new FetchException("GET " + siteUri + ": " + current + " redirects to a malformed"
            + " Location '" + ex.location() + "'", siteUri, attempt, ex.status(), e);
      }
      Optional<URI> next = site.toSite(target);
      if (next.isEmpty()) {
        throw new FetchException("GET " + siteUri + ": refused a redirect off the site, from "
            + current + " to " + target, siteUri, attempt, ex.status(), null);
      }
      if (hop >= maxRedirects) {
        throw new FetchException("GET " + siteUri + ": more than " + maxRedirects
            + " redirects (last from " + current + " to " + next.get() + ")",
            siteUri, attempt, ex.status(), null);
      }
      if (robotsOnRedirect) {
        robots.check(next.get());
      }
      log.debug("GET {}: {} redirects ({}) to {}", siteUri, current, ex.status(), next.get());
      current = next.get();
    }
  }

  /** One request: waits for a slot in flight, then for the rate limiter, then sends. */
  private Exchange exchange(URI siteUri, URI askedFor, int attempt)
      throws IOException, InterruptedException {
    URI target = site.toOrigin(siteUri);
    // Slot first, then rate: taking a rate slot and then queueing for a free connection
    // would let queued requests go out in a burst.
    inFlight.acquire();
    try {
      breaker.check(askedFor, attempt);
      stats.waited(limiter.acquire());
      HttpRequest request = HttpRequest.newBuilder(target)
          .GET()
          .timeout(requestTimeout)
          .header("User-Agent", userAgent)
          // What a browser sends; the site serves both HTML pages and its JSON API.
          .header("Accept", ACCEPT)
          .header("Accept-Language", "ja,en;q=0.7")
          .header("Accept-Encoding", "gzip")
          .build();
      stats.requestSent();
      log.debug("GET {} (attempt {})", target, attempt);
      HttpResponse<byte[]> response;
      try {
        response = await(client.sendAsync(request, CappedBody.handler(maxBodyBytes)), target);
      } catch (CappedBody.TooLargeException e) {
        breaker.answered();
        throw e;
      } catch (IOException e) {
        breaker.noAnswer(e);
        throw e;
      }
      breaker.answered();
      byte[] wire = response.body();
      byte[] body = CappedBody.decode(
          wire, response.headers().firstValue("Content-Encoding").orElse(null), maxBodyBytes);
      stats.response(response.statusCode(), wire.length, body.length);
      return new Exchange(siteUri, response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null), body,
          response.headers().firstValue("Location").orElse(null),
          response.headers().firstValue("Retry-After").orElse(null));
    } catch (CappedBody.TooLargeException e) {
      String via = siteUri.equals(askedFor) ? "" : " (redirected to " + siteUri + ")";
      throw new FetchException("GET " + askedFor + via + ": " + e.getMessage(),
          askedFor, attempt, -1, e);
    } finally {
      inFlight.release();
    }
  }

  private HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> future, URI target)
      throws IOException, InterruptedException {
    try {
      // HttpRequest.timeout covers the wait for the headers only; this bounds the body too,
      // so a server that trickles bytes cannot hold a worker forever.
      return future.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new HttpTimeoutException(
          "no complete response from " + target + " within " + Durations.format(requestTimeout));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof CappedBody.TooLargeException) {
          throw (CappedBody.TooLargeException) t;
        }
      }
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IOException("GET " + target + " failed: " + cause, cause);
    }
  }

  /** The product token of a User-Agent ("pixiv-dic" of "pixiv-dic/1.0 (...)"). */
  static String productToken(String userAgent) {
    String ua = userAgent.trim();
    int end = 0;
    while (end < ua.length() && ua.charAt(end) != '/' && !Character.isWhitespace(ua.charAt(end))) {
      end++;
    }
    return ua.substring(0, end);
  }

  /**
   * Options of an {@link HttpFetcher}. Each setter fails fast on a nonsensical value with a
   * message naming it; {@link #build()} copies the state, so a builder may be reused.
   */
  public static final class Builder {
    private static final double MIN_QPS = 1.0 / 86_400;
    private String userAgent = defaultUserAgent();
    private URI origin = SiteMapping.SITE;
    private double qps = 0.2;
    private int concurrency = 1;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private long maxBodyBytes = 8L * 1024 * 1024;
    private int maxAttempts = 5;
    private Duration backoffBase = Duration.ofSeconds(2);
    private Duration backoffMax = Duration.ofMinutes(5);
    private Duration maxRetryAfter = Duration.ofMinutes(10);
    private int maxRedirects = 5;
    private int breakerFailures = 10;
    private Duration breakerSilence = Duration.ofMinutes(1);
    private boolean respectRobots = true;
    private Sleeper sleeper = Sleeper.system();
    private LongSupplier nanoTime = System::nanoTime;
    private Clock clock = Clock.systemUTC();
    private Executor executor;
    private boolean deferRetries;
    private ProxySettings proxy = ProxySettings.none();

    private Builder() {}

    /** Control characters as {@code \\u000a} escapes: a message must not break a log line. */
    private static String escapeControls(String s) {
      return s.codePoints().mapToObj(c -> Character.isISOControl(c)
          ? String.format(java.util.Locale.ROOT, "\\u%04x", c) : Character.toString(c))
          .collect(java.util.stream.Collectors.joining());
    }

    /**
     * The proxies to go through (default none: the JDK's client ignores {@code HTTPS_PROXY};
     * pass {@code ProxySettings.fromEnvironment(System.getenv())} to honour it). Credentials
     * inside CONNECT tunnels need {@link ProxySettings#allowBasicInTunnels()} first.
     */
    public Builder proxy(ProxySettings proxy) {
      this.proxy = requireNonNull(proxy, "proxy");
      return this;
    }

    /**
     * Sent on every request: printable ASCII, spaces and tabs, not blank (what every client
     * and server takes as a header value). Default: {@link HttpFetcher#defaultUserAgent()}.
     */
    public Builder userAgent(String userAgent) {
      requireNonNull(userAgent, "userAgent");
      if (userAgent.isBlank()
          || !userAgent.chars().allMatch(c -> c == '\t' || c >= 0x20 && c <= 0x7e)) {
        throw new IllegalArgumentException("userAgent must be non-blank printable ASCII on one"
            + " line, was '" + escapeControls(userAgent) + "'");
      }
      this.userAgent = userAgent.trim();
      return this;
    }

    /**
     * Where requests for {@code https://dic.pixiv.net} go instead (a mirror, a caching proxy,
     * a local test server); a path prefix is kept. Results still name the site URIs.
     * Default: {@code https://dic.pixiv.net}.
     */
    public Builder origin(URI origin) {
      this.origin = SiteMapping.validateOrigin(origin);
      return this;
    }

    /** Requests per second for the whole fetcher, all threads together. Default 0.2. */
    public Builder qps(double qps) {
      if (!(qps > 0) || Double.isInfinite(qps)) {
        throw new IllegalArgumentException("qps must be > 0 and finite, was " + qps);
      }
      if (qps < MIN_QPS) {
        throw new IllegalArgumentException(
            "qps must be >= " + MIN_QPS + " (one request a day), was " + qps);
      }
      this.qps = qps;
      return this;
    }

    /** Requests in flight at once, all threads together. Default 1. */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /** Default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Bound on one request, from sending to the last byte of the body. Default 30 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** Largest body accepted, on the wire and after gzip decoding. Default 8 MiB. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "maxBodyBytes must be between 1 and " + (Integer.MAX_VALUE - 8) + ", was "
                + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Attempts per call, the first included. Default 5. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Exponential backoff between attempts: {@code base}, doubling up to {@code max}, with
     * 25% jitter. Default 2 s .. 5 min.
     */
    public Builder backoff(Duration base, Duration max) {
      positive(base, "backoff base");
      positive(max, "backoff max");
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "backoff max must be >= base, was " + Durations.format(max) + " < "
            + Durations.format(base));
      }
      this.backoffBase = base;
      this.backoffMax = max;
      return this;
    }

    /**
     * Longest {@code Retry-After} honoured; when the site asks for more, the call fails with a
     * {@link FetchException} instead of waiting. Default 10 min.
     */
    public Builder maxRetryAfter(Duration max) {
      requireNonNull(max, "maxRetryAfter");
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must be >= 0, was " + max);
      }
      this.maxRetryAfter = max;
      return this;
    }

    /** Redirects followed within the site per attempt. Default 5. */
    public Builder maxRedirects(int maxRedirects) {
      if (maxRedirects < 0) {
        throw new IllegalArgumentException("maxRedirects must be >= 0, was " + maxRedirects);
      }
      this.maxRedirects = maxRedirects;
      return this;
    }

    /**
     * The circuit breaker for a site that is gone: after {@code failuresInARow} requests in a
     * row got no answer (refused, reset, timed out), or when such failures have gone on for
     * {@code silence}, every call fails at once with {@link SiteUnreachableException}. Any HTTP
     * response resets the count. Default 10 and 1 minute.
     */
    public Builder breaker(int failuresInARow, Duration silence) {
      if (failuresInARow < 2) {
        throw new IllegalArgumentException("failuresInARow must be >= 2, was " + failuresInARow);
      }
      this.breakerFailures = failuresInARow;
      this.breakerSilence = positive(silence, "silence");
      return this;
    }

    /** False ({@code --ignore-robots}) fetches paths robots.txt disallows. Default true. */
    public Builder respectRobots(boolean respectRobots) {
      this.respectRobots = respectRobots;
      return this;
    }

    /**
     * True: a retryable failure does not wait out its backoff in the calling thread; {@link
     * #get} throws {@link RetryLaterException} with the delay (and, after a first failure
     * without {@code Retry-After}, one request interval as the soonest a caller with nothing
     * else to send may retry), and the next {@code get} of the same URI continues with the
     * next attempt. For callers that have other work to do
     * meanwhile, such as the run engine, whose workers take the next item. The rate limit,
     * the bound on requests in flight and the pause a {@code Retry-After} asks for hold either
     * way. Default false: {@code get} waits and retries itself.
     */
    public Builder deferRetries(boolean deferRetries) {
      this.deferRetries = deferRetries;
      return this;
    }

    /** How the fetcher waits (rate limit, backoff, Retry-After). Default {@link Sleeper#system()}. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Runs the HTTP client's work; default: a pool of daemon threads shut down on close. */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /** Monotonic time for the rate limiter, in nanoseconds (tests advance it with a sleeper). */
    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /** Wall-clock time, to turn a {@code Retry-After} HTTP-date into a delay. */
    Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public HttpFetcher build() {
      return new HttpFetcher(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, was " + Durations.format(d));
      }
      return d;
    }
  }
}
