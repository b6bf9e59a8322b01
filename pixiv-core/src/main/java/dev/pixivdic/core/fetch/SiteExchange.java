package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Throwables;
import dev.pixivdic.core.internal.DocumentEnd;
import dev.pixivdic.core.internal.SiteChosenUrls;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a GET at the site: waits for a slot in flight and for the rate limiter, sends,
 * decodes the capped body, and follows redirects that stay within the site. Retries are the
 * caller's ({@link FetchAttempts}). Thread-safe.
 */
final class SiteExchange {

  // Under the fetcher's name: the one logging configurations name for its requests.
  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);

  private static final String ACCEPT =
      "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8";

  /**
   * What came back for one HTTP request; {@code siteUri} is the site form that was asked;
   * {@code date} is the answer's {@code Date} header, against which a {@code Retry-After} date
   * is read; {@code redirects} the statuses of the redirects followed to {@code siteUri};
   * {@code cut} that it is a 2xx HTML page that ends before its document does
   * ({@link DocumentEnd}: a body whose end the client could not tell, cut short on its way):
   * here only when its bytes alone show it ({@link DocumentEnd#surelyCut}), a scan made in the
   * slot; the parse that tells the rest is made after the slot is given back
   * ({@link FetchAttempts}), by the caller's parser when it passes one.
   */
  record Result(URI siteUri, int status, String contentType, byte[] body,
      String location, String retryAfter, String date, List<Integer> redirects, boolean cut) {

    Result {
      redirects = List.copyOf(redirects);
    }

    /** This answer, judged cut short. */
    Result asCut() {
      return new Result(siteUri, status, contentType, body, location, retryAfter, date,
          redirects, true);
    }

    /** This answer, reached through {@code hops}. */
    Result after(List<Integer> hops) {
      return new Result(siteUri, status, contentType, body, location, retryAfter, date, hops,
          cut);
    }
  }

  /** Consulted before a redirect is followed (robots.txt); throws to refuse it. */
  @FunctionalInterface
  interface RedirectCheck {
    RedirectCheck NONE = siteUri -> { };

    void check(URI siteUri) throws IOException, InterruptedException;
  }

  /**
   * Redirects followed for robots.txt, to any host: the five RFC 9309 (2.3.1.2) asks crawlers to
   * follow at least; one more is the site's robots.txt taken as unavailable.
   */
  static final int ROBOTS_REDIRECTS = 5;

  private final HttpClient client;
  private final SiteMapping site;
  private final String userAgent;
  private final Duration requestTimeout;
  private final long maxBodyBytes;
  private final int maxRedirects;
  private final IntervalLimiter limiter;
  // A fair semaphore rather than Failsafe's Bulkhead: waiting here must be interruptible and
  // unbounded in time (a worker simply waits its turn), which a plain semaphore says directly.
  private final Semaphore inFlight;
  private final StatsRecorder stats;
  private final SiteBreaker breaker;
  // The proxy requests go through, named when it refuses the credentials.
  private final Optional<ProxySettings.Endpoint> proxy;
  // Until the site first answers, a refused connection gives its rate slot back (see send).
  private volatile boolean answeredOnce;
  // Told of each answer's status and headers as they arrive (see onHeaders).
  private volatile Consumer<HttpResponse.ResponseInfo> onHeaders = info -> { };

  SiteExchange(HttpFetcher.Builder b, HttpClient client, SiteMapping site,
      IntervalLimiter limiter, StatsRecorder stats, SiteBreaker breaker) {
    this.client = requireNonNull(client, "client");
    this.site = requireNonNull(site, "site");
    this.userAgent = b.userAgent;
    this.requestTimeout = b.requestTimeout;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxRedirects = b.maxRedirects;
    this.limiter = requireNonNull(limiter, "limiter");
    this.inFlight = new Semaphore(b.concurrency, true);
    this.stats = requireNonNull(stats, "stats");
    this.breaker = requireNonNull(breaker, "breaker");
    this.proxy = b.proxy.proxyFor(b.origin);
  }

  /**
   * Tells {@code hook} of every answer's status and headers as soon as they arrive, before its
   * body is read and long before its slot in flight is given back, so that what the answer asks
   * of every request (a {@code Retry-After} pause) holds from then on: neither a request waiting
   * for the slot nor one taking the rate limiter while a long body is still on its way goes
   * before the pause is set. Also for an answer whose body then fails (over the cap, cut off).
   * The hook runs on the thread that reads the answer and must not throw.
   */
  void onHeaders(Consumer<HttpResponse.ResponseInfo> hook) {
    this.onHeaders = requireNonNull(hook, "hook");
  }

  /** Where {@code siteUri} is fetched from: the same URI under the configured origin. */
  URI toOrigin(URI siteUri) {
    return site.toOrigin(siteUri);
  }

  /** The JDK client for {@code b}: no redirects of its own, through the proxy when one is set. */
  static HttpClient newClient(HttpFetcher.Builder b, Executor executor) {
    HttpClient.Builder client = HttpClient.newBuilder();
    if (b.proxy.isUsed()) {
      client.proxy(b.proxy.selector()).authenticator(b.proxy.authenticator());
    }
    return client
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        // HTTP/2 over TLS where the server offers it; plain-http origins (a local mirror or
        // test server) get HTTP/1.1, sparing them the h2c upgrade handshake.
        .version("https".equalsIgnoreCase(b.origin.getScheme())
            ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .executor(executor)
        .build();
  }

  /**
   * One attempt at {@code siteUri}, following up to the configured number of redirects within
   * the site, each passed to {@code onRedirect} first.
   *
   * @throws FetchException for a redirect off the site, a malformed one, too many of them
   *     ({@link RedirectRefusedException}), a body over the cap
   *     ({@link BodyTooLargeException}), or a page's body (2xx, 404, 410) that cannot be
   *     decoded ({@link UndecodableBodyException}): not worth retrying; another answer whose
   *     body cannot be decoded comes back without it, to be taken by its status
   * @throws IOException when the request got no answer (worth retrying)
   */
  Result follow(URI siteUri, int attempt, RedirectCheck onRedirect)
      throws IOException, InterruptedException {
    return follow(siteUri, attempt, onRedirect, false);
  }

  /**
   * As {@link #follow(URI, int, RedirectCheck)}; {@code anyHost} (robots.txt, RFC 9309 2.3.1.2)
   * follows up to {@link #ROBOTS_REDIRECTS} redirects to any http or https host as well, each
   * request through the same slots and rate limit as the site's, and refuses a redirect back to
   * a URI already asked on the way (a loop) at once; the {@code siteUri} of a result from
   * another host is its absolute URI there. Either refusal is a {@link RedirectRefusedException}
   * whose {@link RedirectRefusedException#tooMany()} is true.
   */
  Result follow(URI siteUri, int attempt, RedirectCheck onRedirect, boolean anyHost)
      throws IOException, InterruptedException {
    URI current = siteUri;
    URI requested = site.toOrigin(siteUri);
    int limit = anyHost ? ROBOTS_REDIRECTS : maxRedirects;
    List<Integer> hops = new ArrayList<>();
    Set<URI> asked = new HashSet<>();
    for (int hop = 0; ; hop++) {
      asked.add(requested);
      Result ex = send(requested, current, siteUri, attempt);
      if (!FetchResponse.isRedirect(ex.status()) || ex.location() == null) {
        return hops.isEmpty() ? ex : ex.after(hops);
      }
      URI target;
      try {
        String reference = browserForm(ex.location().trim());
        // Before resolving: URI.resolve removes dot segments of a relative reference, and
        // would cancel a "%2e%2e" against a "..".
        SiteMapping.requireNoEncodedDots(reference);
        target = SiteMapping.withoutDotSegments(resolve(requested, reference));
      } catch (IllegalArgumentException e) {
        throw new RedirectRefusedException("GET " + siteUri + ": " + named(current, siteUri)
            + " redirects to a malformed Location '" + SiteChosenUrls.shown(ex.location())
            + "'", siteUri, attempt,
            ex.status(), e);
      }
      Optional<URI> onSite = site.toSite(target);
      URI next;
      URI nextRequested;
      if (onSite.isPresent()) {
        next = onSite.get();
        nextRequested = site.toOrigin(next);
      } else if (anyHost && isWeb(target)) {
        next = URI.create(withoutFragment(target));
        nextRequested = next;
      } else {
        throw new RedirectRefusedException("GET " + siteUri + ": refused a redirect off the"
            + " site, from " + named(current, siteUri) + " to " + SiteChosenUrls.shown(target),
            siteUri, attempt, ex.status(), null);
      }
      if (hop >= limit) {
        throw new RedirectRefusedException("GET " + siteUri + ": more than " + limit
            + " redirects (last from " + named(current, siteUri) + " to "
            + SiteChosenUrls.shown(next) + ")", siteUri, attempt, ex.status(), null, true);
      }
      if (anyHost && asked.contains(nextRequested)) {
        throw new RedirectRefusedException("GET " + siteUri + ": redirects in a loop (from "
            + named(current, siteUri) + " back to " + SiteChosenUrls.shown(next)
            + ", asked before on the way)", siteUri, attempt, ex.status(), null, true);
      }
      onRedirect.check(next);
      if (onSite.isEmpty()) {
        log.info("GET {}: {} redirects ({}) to {}, another host: followed, as RFC 9309 asks of"
            + " robots.txt", siteUri, named(current, siteUri), ex.status(),
            SiteChosenUrls.shown(next));
      } else {
        log.debug("GET {}: {} redirects ({}) to {}", siteUri, named(current, siteUri),
            ex.status(), SiteChosenUrls.shown(next));
      }
      hops.add(ex.status());
      current = next;
      requested = nextRequested;
    }
  }

  /** Whether {@code uri} is an absolute http or https URI with a host. */
  private static boolean isWeb(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
  }

  /**
   * {@code uri} as a message names it: as it is when it is {@code askedFor}, the URI the caller
   * asked for; else the site chose it (a redirect led there), and it is shown without its query,
   * fragment and user information ({@link SiteChosenUrls}).
   */
  private static URI named(URI uri, URI askedFor) {
    return uri.equals(askedFor) ? uri : SiteChosenUrls.shown(uri);
  }

  /**
   * {@code reference} resolved against {@code base} as RFC 3986 says. {@link URI#resolve}
   * follows the older RFC 2396 in two cases a server may send: an empty reference (the same
   * document, not its directory) and a query alone ({@code ?lang=ja} keeps the path's last
   * segment, {@code /a/x?lang=ja}, not {@code /a/?lang=ja}), each of which would fetch another
   * page than the one redirected to.
   *
   * @throws IllegalArgumentException when the reference is not a URI
   */
  static URI resolve(URI base, String reference) {
    if (reference.isEmpty()) {
      return URI.create(withoutFragment(base));
    }
    if (reference.startsWith("?")) {
      String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/"
          : base.getRawPath();
      return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + reference);
    }
    return base.resolve(reference);
  }

  /**
   * A {@code Location} as a browser reads it. The HTTP client reads a header's bytes as
   * ISO-8859-1, so a server that writes a title in raw UTF-8 ({@code /a/初音ミク}) gives
   * mojibake, which is either no URI or another page's; its bytes are read as UTF-8 when they
   * are well-formed UTF-8. Then every character a URI cannot hold as it is (non-ASCII, a space,
   * {@code "<>`{}|^}) is percent-encoded as UTF-8, as browsers do; {@code %} sequences already
   * there are kept. A control character stays, and the URI refuses it.
   */
  static String browserForm(String location) {
    String text = location;
    if (text.chars().anyMatch(c -> c >= 0x80)) {
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      if (new String(bytes, StandardCharsets.ISO_8859_1).equals(text)) {
        try {
          text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
          // Not UTF-8: the characters as the client read them, encoded below.
        }
      }
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= 0x80 || cp == ' ' || "\"<>`{}|^".indexOf(cp) >= 0) {
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * Whether an answer of {@code status} is judged by its body: a page (2xx), or the site's
   * "not found" page (404, 410), which tells the site's own from another server's. Any other
   * answer means what its status says (a redirect its {@code Location}), so a body in a coding
   * the fetcher does not read fails only these.
   */
  private static boolean pageInBody(int status) {
    return status / 100 == 2 || status == 404 || status == 410;
  }

  /** Whether a body of {@code contentType} (null: not said) may be an HTML page. */
  static boolean isHtml(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.strip().toLowerCase(Locale.ROOT);
    return type.isEmpty() || type.startsWith("text/html")
        || type.startsWith("application/xhtml+xml");
  }

  private static String withoutFragment(URI uri) {
    String s = uri.toString();
    int hash = s.indexOf('#');
    return hash < 0 ? s : s.substring(0, hash);
  }

  /**
   * One request of {@code target} (the origin form of {@code siteUri}, or the URI itself on
   * another host): waits for a slot in flight, then for the rate limiter, then sends.
   */
  private Result send(URI target, URI siteUri, URI askedFor, int attempt)
      throws IOException, InterruptedException {
    // What the lines and messages of this request name: a page a redirect led to is the site's
    // choice, whose query may hold a token.
    URI named = siteUri.equals(askedFor) ? target : SiteChosenUrls.shown(target);
    // Slot first, then rate: taking a rate slot and then queueing for a free connection
    // would let queued requests go out in a burst.
    inFlight.acquire();
    try {
      breaker.check(askedFor, attempt);
      IntervalLimiter.Slot slot = limiter.take();
      stats.waited(slot.waited());
      HttpRequest request = HttpRequest.newBuilder(target)
          .GET()
          .timeout(requestTimeout)
          .header("User-Agent", userAgent)
          // What a browser sends; the site serves both HTML pages and its JSON API.
          .header("Accept", ACCEPT)
          .header("Accept-Language", "ja,en;q=0.7")
          // Only gzip is asked for: deflate (either form) and stacked codings sent unasked are
          // read too, and any other coding fails a page for good (docs/fetching.md).
          .header("Accept-Encoding", "gzip")
          .build();
      stats.requestSent();
      log.debug("GET {} (attempt {})", named, attempt);
      HttpResponse<byte[]> response;
      try {
        response = exchange(request, named, askedFor, attempt);
      } catch (CappedBody.TooLargeException e) {
        answeredOnce = true;
        breaker.answered();
        stats.response(e.status(), e.bytesOnWire(), e.bytesDecoded()); // an answer all the same
        throw e;
      } catch (FetchException e) {
        throw e; // the proxy refused its credentials: no word about the site
      } catch (IOException e) {
        breaker.noAnswer(e);
        if (e instanceof ConnectException && !answeredOnce) {
          // Nothing reached a site that never answered (a closed port at the start, where
          // robots.txt is the first request): its retries wait their backoff, not the rate
          // limit's interval, so a run against a dead origin ends as soon as its attempts are
          // spent. Once the site has answered, refusals keep the spacing, so the breaker's
          // minute of grace still covers a restart mid-run.
          limiter.giveBack(slot);
        }
        throw e;
      }
      answeredOnce = true;
      breaker.answered();
      byte[] wire = response.body();
      List<String> codings = response.headers().allValues("Content-Encoding");
      byte[] body;
      try {
        body = CappedBody.decode(
            wire, codings.isEmpty() ? null : String.join(", ", codings), maxBodyBytes);
      } catch (CappedBody.TooLargeException e) {
        stats.response(response.statusCode(), wire.length, e.bytesDecoded());
        throw e;
      } catch (CappedBody.UnknownCodingException | CappedBody.CorruptCodingException e) {
        // robots.txt's "not found" means no rules, whatever its body: only its 2xx is read.
        boolean robots = askedFor.equals(HttpFetcher.ROBOTS_URI);
        if (robots ? response.statusCode() / 100 == 2 : pageInBody(response.statusCode())) {
          // The same request would get the same answer: not retried, and an answer all the
          // same.
          stats.response(response.statusCode(), wire.length, 0);
          throw new UndecodableBodyException("GET " + askedFor + ": " + e.getMessage(),
              askedFor, attempt, response.statusCode(), e);
        }
        // A redirect, a 429 or a server error means what its status says, whatever its body
        // (a CDN's error page in brotli): followed or retried as any such answer, bodiless.
        log.debug("GET {}: the body of its {} answer is left unread ({}); the status decides",
            named, response.statusCode(), e.getMessage());
        body = new byte[0];
      }
      stats.response(response.statusCode(), wire.length, body.length);
      String type = response.headers().firstValue("Content-Type").orElse(null);
      return new Result(siteUri, response.statusCode(), type, body,
          response.headers().firstValue("Location").orElse(null),
          response.headers().firstValue("Retry-After").orElse(null),
          response.headers().firstValue("Date").orElse(null), List.of(),
          // Only the scan of the bytes here: a parse would hold the slot for its CPU time.
          response.statusCode() / 100 == 2 && isHtml(type)
              && DocumentEnd.surelyCut(body, type));
    } catch (CappedBody.TooLargeException e) {
      String via = siteUri.equals(askedFor) ? ""
          : " (redirected to " + SiteChosenUrls.shown(siteUri) + ")";
      throw new BodyTooLargeException("GET " + askedFor + via + ": " + e.getMessage(),
          askedFor, attempt, e);
    } finally {
      boolean successorWaits = inFlight.hasQueuedThreads();
      inFlight.release();
      if (successorWaits) {
        // Let the thread that takes this slot send first: what the caller does next (parse
        // the page) would compete with it for the CPU, and where the requests in flight fill
        // the budget, every moment before the next request goes out is lost from it.
        Thread.yield();
      }
    }
  }

  /**
   * Sends on the calling thread: it waits for the answer anyway, and the JDK's synchronous
   * {@code send} spares the hand-off of every response to another pool that {@code sendAsync}
   * makes (about half a millisecond a request at concurrency 1). An interrupt cancels the
   * exchange ({@code send} does); the body's deadline is the subscriber's.
   */
  private HttpResponse<byte[]> exchange(HttpRequest request, URI named, URI askedFor,
      int attempt) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    HttpResponse.BodyHandler<byte[]> body = CappedBody.handler(maxBodyBytes, deadline);
    Consumer<HttpResponse.ResponseInfo> hook = onHeaders;
    AtomicReference<ProtocolException> noStatus = new AtomicReference<>();
    try {
      return client.send(request, info -> {
        int status = info.statusCode();
        if (!FetchResponse.isHttpStatus(status)) {
          // The JDK's client hands over any three digits as a status; no page, no parser and no
          // policy of ours knows one outside HTTP's range: a garbled answer, as a status line
          // that is not HTTP is one. Failing here reads none of its body.
          noStatus.set(new ProtocolException("malformed response from " + named
              + ": status " + status + " is no HTTP status (100..599)"));
          throw new UncheckedIOException(noStatus.get());
        }
        hook.accept(info);
        return body.apply(info);
      });
    } catch (IllegalArgumentException e) {
      // The request is well formed, so this is the answer: the JDK's client reads a
      // Content-Length that is not a number as one and fails with what Long.parseLong threw.
      if (Throwables.getRootCause(e) instanceof NumberFormatException) {
        ProtocolException bad = new ProtocolException("malformed response from " + named
            + ": a header read as a number is not one (" + e.getMessage() + ")");
        bad.initCause(e);
        throw bad;
      }
      throw e;
    } catch (IOException e) {
      if (noStatus.get() != null) {
        throw noStatus.get();
      }
      // send wraps what failed the exchange in an IOException of its own: find the cause.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof VirtualMachineError vm) {
          // The client's own threads ran out of memory (or stack): no network error, so not
          // retried nor counted against the site; the run decides what it means.
          throw vm;
        }
        if (t instanceof CappedBody.TooLargeException tooLarge) {
          throw tooLarge;
        }
        if (t instanceof TimeoutException) {
          throw new HttpTimeoutException("no complete response from " + named + " within "
              + Durations.format(requestTimeout));
        }
      }
      if (proxy.isPresent() && String.valueOf(e.getMessage())
          .startsWith("too many authentication attempts")) {
        // The JDK's words when the proxy answered 407 to every credential the authenticator
        // gave: the same credentials would be refused again, so this is not retried.
        throw new FetchException("GET " + askedFor + ": the proxy " + proxy.get()
            + " refused its credentials (407 after each try); check the user and password"
            + " of the proxy setting", askedFor, attempt, 407, e);
      }
      throw e;
    }
  }
}
