package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.pixivdic.core.internal.DocumentEnd;
import dev.pixivdic.core.internal.ScraperVersion;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.Durations;
import dev.pixivdic.support.internal.SiteSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// One piece on purpose: the public fetcher and its public builder (HttpFetcher.Builder is API).
// The work is elsewhere: FetchAttempts (retries, deferral) and SiteExchange (one request and its
// redirects), with RobotsGate, IntervalLimiter and SiteBreaker.
/**
 * The {@link Fetcher} over {@link java.net.http.HttpClient}: one global rate limit and a bound
 * on requests in flight for all calling threads, retries with exponential backoff and jitter on
 * I/O errors, timeouts, 429 and 500-504 honouring {@code Retry-After}, robots.txt fetched on
 * the first call and again once a day (or a minute after it could not be had), gzip, a body
 * size cap, and redirects followed only within the site (robots.txt's to any host, as RFC 9309
 * asks).
 *
 * <p>Thread-safe. Its robots.txt and limits are shared by every thread that calls {@link #get}
 * and by every run it serves. Build with {@link #builder()}.
 */
public final class HttpFetcher implements Fetcher {

  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);

  static final URI ROBOTS_URI = URI.create(SiteMapping.SITE + "/robots.txt");

  // What close() does to the HTTP client's executor: stops the one the fetcher made.
  private final Runnable stopExecutor;
  private final boolean respectRobots;
  private final boolean deferRetries;
  private final LongSupplier nanoTime;
  private final StatsRecorder stats = new StatsRecorder();
  private final RobotsGate robots;
  private final SiteBreaker breaker;
  private final FetchAttempts attempts;
  private final OpenCalls calls = new OpenCalls();
  private final Object runsLock = new Object();
  /**
   * The threads of the runs started ({@link #runStarting}) and not ended ({@link #runEnded}),
   * one entry a run. A thread runs one run at a time, so a thread that starts a run has ended
   * the one it started before, and a thread that died ended its run: a wrapping fetcher that
   * passes on runStarting but not runEnded leaves no run going on for ever.
   */
  private final List<Thread> runs = new ArrayList<>();

  private HttpFetcher(Builder b) {
    SiteMapping site = new SiteMapping(b.origin);
    this.respectRobots = b.respectRobots;
    this.deferRetries = b.deferRetries;
    this.nanoTime = b.nanoTime;
    IntervalLimiter limiter = new IntervalLimiter(
        Duration.ofNanos((long) (1e9 / b.qps)), b.nanoTime, b.sleeper);
    // What "unreachable" is said of: with a proxy, a refused connection is the proxy's.
    String reachedAs = site.origin() + b.proxy.proxyFor(site.origin())
        .map(p -> " (through the proxy " + p + ")").orElse("");
    this.breaker = new SiteBreaker(b.breakerFailures, b.breakerSilence, b.nanoTime, reachedAs);

    Executor executor = b.executor;
    if (executor != null) {
      stopExecutor = () -> { };
    } else if (site.origin().getScheme().equalsIgnoreCase("http")) {
      InlineExecutor inline = new InlineExecutor();
      executor = inline;
      stopExecutor = inline::shutdown;
    } else {
      // TLS (and HTTP/2 over it) keeps the JDK's default, a pool: the handshakes and the
      // decryption of every connection would otherwise all run on the one selector thread,
      // and the tests have no HTTP/2 server to exercise that path.
      ExecutorService pool = Executors.newCachedThreadPool(new ThreadFactoryBuilder()
          .setNameFormat("pixiv-fetch-http-%d").setDaemon(true).build());
      executor = pool;
      stopExecutor = pool::shutdownNow;
    }
    SiteExchange exchange = new SiteExchange(b, SiteExchange.newClient(b, executor), site,
        limiter, stats, breaker);
    this.attempts = new FetchAttempts(b, exchange, limiter, stats, breaker);
    this.robots = new RobotsGate(ROBOTS_URI, RobotsGate.productToken(b.userAgent), limiter, stats,
        uri -> attempts.fetch(uri, nanoTime.getAsLong(), SiteExchange.RedirectCheck.NONE,
            null, false, answer -> false),
        reachedAs, b.budgetSharedBy, b.nanoTime);

    log.info("Fetcher: origin {}, one request per {} at most, {} in flight, User-Agent '{}'",
        site.origin(), Durations.format(limiter.interval()), b.concurrency, b.userAgent);
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

  /**
   * {@inheritDoc}
   *
   * <p>A page's 2xx HTML answer that ends before its document does is parsed for that with
   * jsoup's HTML tree builder (docs/parsing.md, "A page cut short"), after the request's slot
   * in flight is given back, unless its bytes alone show it cut: such an answer is retried, and
   * fails the call on the last attempt (docs/fetching.md, "Retries").
   */
  @Override
  public FetchResponse get(URI siteUri) throws IOException, InterruptedException {
    return get(siteUri, answer -> DocumentEnd.cutShort(answer.body(), answer.contentType()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code endsEarly} is asked of each attempt's 2xx answer with a body (of any
   * {@code Content-Type}: a mislabelled page is read as markup all the same) whose bytes alone
   * do not show it cut, on the calling thread,
   * after the request's slot in flight is given back; what it throws, the call throws.
   */
  @Override
  public FetchResponse get(URI siteUri, Predicate<? super FetchResponse> endsEarly)
      throws IOException, InterruptedException {
    requireNonNull(endsEarly, "endsEarly");
    SiteMapping.requireSite(siteUri);
    if (!calls.enter()) {
      throw new FetcherClosedException(siteUri);
    }
    try {
      return fetch(siteUri, endsEarly);
    } catch (InterruptedException e) {
      if (!calls.leave()) {
        throw e;
      }
      stats.failure();
      throw new FetchException("GET " + siteUri + ": the fetcher was closed while the call was"
          + " waiting or its request was in flight", siteUri, 0, -1, e);
    } finally {
      calls.leave(); // Nothing left to do when the catch did.
    }
  }

  private FetchResponse fetch(URI siteUri, Predicate<? super FetchResponse> endsEarly)
      throws IOException, InterruptedException {
    FetchAttempts.Deferred resumed = attempts.resume(siteUri);
    long start = resumed != null ? resumed.start() : nanoTime.getAsLong();
    try {
      if (respectRobots && resumed == null) {
        robots.check(siteUri);
      }
      FetchResponse response = attempts.fetch(siteUri, start,
          respectRobots ? robots::checkRedirect : SiteExchange.RedirectCheck.NONE, resumed,
          deferRetries, endsEarly);
      if (!response.finalUri().equals(response.uri())) {
        stats.redirected();
      }
      return response;
    } catch (RobotsDisallowedException | BodyTooLargeException e) {
      // Not failed calls: a refusal of our own, and an answer too large to keep (counted by
      // its status; the caller classifies the page).
      throw e;
    } catch (FetchException e) {
      stats.failure();
      throw e;
    }
  }

  /**
   * A robots.txt that could not be had (or asked not to crawl now) is read again by the new run's
   * first call, instead of failing it at once for the rest of a minute, and the circuit breaker
   * closes, forgetting the failures it counted; rules read are kept for their day, so each run
   * reads robots.txt at most once while it answers. Only when no other run is going on: a run
   * that met a dead site or robots.txt stops on it, whoever starts beside it. A run is told
   * apart by its thread: one that started in the calling thread has ended (a thread runs one
   * run at a time), as has one whose thread is gone, even if {@link #runEnded} never came (a
   * wrapping fetcher that does not pass it on).
   */
  @Override
  public void runStarting() {
    Thread current = Thread.currentThread();
    synchronized (runsLock) {
      runs.removeIf(t -> t == current || !t.isAlive());
      boolean others = !runs.isEmpty();
      runs.add(current);
      if (others) {
        return;
      }
      robots.forgetFailure();
      breaker.reset();
    }
  }

  /** Ends the calling thread's run, or, told from another thread, one of those going on. */
  @Override
  public void runEnded() {
    synchronized (runsLock) {
      if (!runs.remove(Thread.currentThread()) && !runs.isEmpty()) {
        runs.remove(0);
      }
    }
  }

  @Override
  public FetchStats stats() {
    return stats.snapshot();
  }

  /**
   * Later calls to get fail with {@link FetcherClosedException} (an {@link
   * IllegalStateException}: a run handed a closed fetcher stops at its first item); calls in
   * progress, waiting or with a request in flight, end at once with a {@link FetchException}
   * saying the fetcher was closed (their threads are interrupted, and the interrupt cleared
   * again; a call whose response had come returns it). Unless an executor was given, the HTTP
   * client is then refused all further work, so it closes its connections and stops its thread
   * at its next event (or when the fetcher is no longer referenced), and the threads the
   * fetcher made for it stop.
   */
  @Override
  public void close() {
    calls.close();
    stopExecutor.run();
  }

  /**
   * Options of an {@link HttpFetcher}. Each setter fails fast on a nonsensical value with a
   * message naming it; {@link #build()} copies the state, so a builder may be reused.
   */
  public static final class Builder {
    private static final double MIN_QPS = 1.0 / 86_400;
    // Package-private: the fetcher's parts read their settings from the builder they are built
    // from (build() hands it to them before it returns, so later setter calls change nothing).
    String userAgent = defaultUserAgent();
    URI origin = SiteMapping.SITE;
    double qps = 0.2;
    int concurrency = 1;
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration requestTimeout = Duration.ofSeconds(30);
    long maxBodyBytes = 8L * 1024 * 1024;
    int maxAttempts = 5;
    Duration backoffBase = Duration.ofSeconds(2);
    Duration backoffMax = Duration.ofMinutes(5);
    Duration maxRetryAfter = Duration.ofMinutes(10);
    int maxRedirects = 5;
    int breakerFailures = 10;
    Duration breakerSilence = Duration.ofMinutes(1);
    boolean respectRobots = true;
    int budgetSharedBy = 1;
    Sleeper sleeper = Sleeper.system();
    LongSupplier nanoTime = System::nanoTime;
    Clock clock = Clock.systemUTC();
    Executor executor;
    boolean deferRetries;
    ProxySettings proxy = ProxySettings.none();

    private Builder() {}

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
      SiteSettings.userAgentProblem(userAgent).ifPresent(why -> {
        throw new IllegalArgumentException(why);
      });
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
      this.maxRetryAfter = Durations.setting(max, "maxRetryAfter", true);
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

    /**
     * How many processes share the site's budget at once (the pods of a Job running together,
     * each with its share of {@code --qps}): a robots.txt {@code Crawl-delay} is the spacing the
     * site asks of all of them, so each process spaces its requests that many times as far
     * apart. From 1 (the default: this process alone) to 100000.
     */
    public Builder budgetSharedBy(int processes) {
      if (processes < 1 || processes > 100_000) {
        throw new IllegalArgumentException("budgetSharedBy must be from 1 to 100000, was "
            + processes);
      }
      this.budgetSharedBy = processes;
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

    /**
     * How the fetcher waits (rate limit, backoff, Retry-After). Default
     * {@link Sleeper#system()}.
     */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Runs the HTTP client's work that its selector thread hands over (reading answers, the
     * body subscriber). Default: for a plain-http origin that thread itself, which spares a
     * thread hand-off per response; for https a pool of daemon threads; either refuses all
     * work once the fetcher is closed. A given executor is not shut down.
     */
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
      return Durations.setting(d, name, false);
    }
  }
}
