package dev.pixivdic.core.scrape.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.BodyTooLargeException;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.fetch.RedirectRefusedException;
import dev.pixivdic.core.fetch.UndecodableBodyException;
import dev.pixivdic.core.internal.OriginNames;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.PageTooLargeException;
import dev.pixivdic.core.parse.ParseResult;
import dev.pixivdic.core.run.internal.FailedForGoodException;
import dev.pixivdic.core.run.internal.NotFoundWithArticleException;
import dev.pixivdic.core.run.internal.ItemProcessor;
import dev.pixivdic.core.run.internal.Processed;
import dev.pixivdic.core.run.internal.StopShield;
import dev.pixivdic.core.run.internal.StorageFailedException;
import java.io.IOException;
import java.net.URI;
import java.text.Normalizer;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;

/**
 * Scrapes one article: fetch the page politely, keep a copy if asked, parse it, and stamp the
 * row with the run's metadata and the item's pass-through columns. Thread-safe when the fetcher
 * and recorder are.
 */
public final class ArticleScraper implements ItemProcessor<WorkItem, ArticleRow> {

  /**
   * Answers that are no page and name the request as the fault (bad, unauthorised, a method or
   * type refused, a URI too long, unavailable for legal reasons): the same request gets them
   * again. A redirect without its {@code Location} ({@link FetchResponse#isRedirect}: the
   * fetcher follows those that have one) is one too.
   */
  private static final Set<Integer> PAGE_FAULTS = Set.of(400, 401, 405, 406, 414, 451);

  private static final URI SITE = URI.create("https://dic.pixiv.net");

  private final Fetcher fetcher;
  private final ArticleParser parser;
  private final PageRecorder recorder;
  private final String runId;
  private final Clock clock;
  private final RowStamper stamper;
  /**
   * Where the fetcher sends requests, as a "not found" answer names it: scheme, host and port
   * alone (a caching proxy's path may hold a token).
   */
  private final String origin;

  private ArticleScraper(Fetcher fetcher, ArticleParser parser, PageRecorder recorder,
      String runId, Clock clock, String origin) {
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.parser = requireNonNull(parser, "parser");
    this.recorder = requireNonNull(recorder, "recorder");
    this.runId = requireNonNull(runId, "runId");
    this.clock = requireNonNull(clock, "clock");
    this.stamper = new RowStamper(runId, clock);
    this.origin = requireNonNull(origin, "origin");
  }

  /** A scraper that stamps rows with {@code runId} and the time from {@code clock}. */
  public static ArticleScraper create(Fetcher fetcher, ArticleParser parser, String runId,
      Clock clock) {
    return new ArticleScraper(fetcher, parser, PageRecorder.none(), runId, clock,
        OriginNames.named(SITE));
  }

  /**
   * A copy of this scraper whose "not found" outcomes name {@code origin}'s scheme, host and
   * port as the answer's source (the fetcher's origin; default {@code https://dic.pixiv.net}).
   */
  public ArticleScraper withOrigin(URI origin) {
    return new ArticleScraper(fetcher, parser, recorder, runId, clock, OriginNames.named(origin));
  }

  /** A copy of this scraper that hands every fetched page to {@code recorder}. */
  public ArticleScraper withRecorder(PageRecorder recorder) {
    return new ArticleScraper(fetcher, parser, recorder, runId, clock, origin);
  }

  @Override
  public void runStarting() {
    fetcher.runStarting();
  }

  @Override
  public void runEnded() {
    fetcher.runEnded();
  }

  @Override
  public Processed<ArticleRow> process(WorkItem item) throws IOException, InterruptedException {
    FetchResponse response;
    Reading reading = new Reading();
    try {
      // A fetcher of the embedder's handing over a status HTTP has not: a malformed answer, as
      // the HttpFetcher fails a call (to be tried again) whose every attempt got one. The
      // parser judges whether a page was cut short on its way, and the fetcher asks again for
      // a page it says is: the page is parsed once.
      response = fetcher.get(item.url().uri(), answer -> reading.judge(item, answer))
          .requireHttpStatus();
    } catch (BodyTooLargeException e) {
      // As the parser's own size limit: the page is the same on every try, so the item is
      // classified for good instead of failing (which asks for a retry that cannot help).
      return Processed.noRow(Outcome.UNRECOGNIZED, e.getMessage());
    } catch (RedirectRefusedException | UndecodableBodyException e) {
      // Off the site, malformed, or in a loop; in a coding the fetcher does not read, or
      // corrupt: the page answers so on every try.
      throw new FailedForGoodException(e.getMessage(), e);
    }
    Processed.OnStored copy;
    try {
      // A stop interrupts the fetch, never the copy: an interrupt closes the archive's file.
      copy = StopShield.write(() -> recorder.record(item, response));
    } catch (IOException e) {
      throw notKept(item, e);
    }
    Processed<ArticleRow> processed;
    try {
      processed = parsed(item, response, reading);
    } catch (IOException | RuntimeException | Error e) {
      // The page is kept all the same: it is what a look at the failure (or a replay) needs.
      try {
        complete(item, copy);
      } catch (StorageFailedException notKept) {
        notKept.addSuppressed(e);
        throw notKept;
      }
      throw e;
    }
    if (processed.outcome() == Outcome.NOT_FOUND) {
      // The run may keep its row out (a wrong origin answers 404 for every page): the copy
      // counts once the row is stored, so that no replay stores it instead.
      return processed.withOnStored(copy instanceof Processed.Part<?> ? copy
          : () -> complete(item, copy));
    }
    complete(item, copy);
    return processed;
  }

  private static void complete(WorkItem item, Processed.OnStored copy)
      throws StorageFailedException {
    try {
      StopShield.write(() -> {
        copy.run();
        return null;
      });
    } catch (StorageFailedException e) {
      // A joint step names the pages it failed for by their number: taken for this page alone,
      // the failure is named by the page, as the copy's own.
      throw e.getCause() instanceof IOException cause && copy instanceof Processed.Part<?>
          ? notKept(item, cause) : notKept(item, e);
    } catch (IOException e) {
      throw notKept(item, e);
    }
  }

  private static StorageFailedException notKept(WorkItem item, IOException e) {
    return new StorageFailedException("the copy of " + item.url().canonical()
        + " could not be kept", e);
  }

  /** The outcome of a fetched page, its copy kept. */
  private Processed<ArticleRow> parsed(WorkItem item, FetchResponse response, Reading reading)
      throws IOException {
    if (response.body().length == 0 && response.status() / 100 == 2) {
      // An empty answer is no page of the site (a proxy or gateway that lost it), and must not
      // feed the drift guard as a page it cannot read. The fetcher tried it again: empty on
      // every attempt, it is this page's answer, not a passing fault.
      throw new FailedForGoodException(FetchFailedException.message(item.url(),
          response.status(), response.attempts(), " with an empty body"), null);
    }
    ParseResult parsed;
    try {
      // A page the site sent the item to for now (maintenance, a login wall, a campaign) is
      // thrown from here: it says nothing of the markup, nor of the item, which the next run asks
      // again. The page's parse is the one made to judge its end, when there was one.
      ParseResult read = reading.of(response);
      parsed = read == null ? Redirected.parse(parser, item.url(), response)
          : Redirected.checked(read, response);
    } catch (PageTooLargeException e) {
      return Processed.noRow(Outcome.UNRECOGNIZED, e.getMessage());
    }
    if (parsed.outcome() == Outcome.UNRECOGNIZED && !Redirected.isPage(response.status())) {
      // A server error that outlived the retries, or another answer than a page (400, 401,
      // 451, a redirect without its Location), says nothing about the markup: the item failed,
      // and must neither feed the drift guard nor count as classified. Only an answer that
      // names the request as the fault is the page's for good; a server error, a timeout, a
      // proxy's 407, a 421 or 425 may pass by the time the scheduler retries.
      boolean redirect = FetchResponse.isRedirect(response.status());
      if (!PAGE_FAULTS.contains(response.status()) && !redirect) {
        throw new FetchFailedException(item.url(), response.status(), response.attempts());
      }
      throw new FailedForGoodException(FetchFailedException.message(item.url(),
          response.status(), response.attempts(), redirect ? " without a Location" : ""), null);
    }
    refuseOwnPageUnderNotFound(parser, item.url(), response, parsed);
    Processed<ArticleRow> processed = stamper.toProcessed(item, parsed);
    if (processed.outcome() == Outcome.NOT_FOUND) {
      // Where the answer came from: a run of nothing but "not found" names its origin so.
      return new Processed<>(processed.outcome(), processed.rows(), processed.presentColumns(),
          processed.detail() + " from " + origin, processed.disagreements());
    }
    return processed;
  }

  /**
   * Throws when {@code parsed}, the parser's result for {@code response} to {@code asked}, is
   * "not found" while the body is the article's own page ({@link #ownPageUnderNotFound}): the
   * article is there, the status says it is gone. A "not found" row would be wrong, and a row
   * read from an answer that says the article is gone is not to be trusted either: neither is
   * stored, and the next run asks again. {@code pixiv replay} judges archived pages so too.
   *
   * @throws NotFoundWithArticleException naming the URL and the status
   */
  public static void refuseOwnPageUnderNotFound(ArticleParser parser, ArticleUrl asked,
      FetchResponse response, ParseResult parsed) throws NotFoundWithArticleException {
    if (parsed.outcome() == Outcome.NOT_FOUND && ownPageUnderNotFound(parser, asked, response)) {
      throw new NotFoundWithArticleException(asked + ": HTTP " + response.status()
          + " with the article's own page as its body (a CDN or an error page serving it under a"
          + " wrong status): not judged, neither stored as not found nor as an article; the next"
          + " run asks again");
    }
  }

  /**
   * Whether {@code response}, a 404 or 410 answer to {@code asked} that no redirect took to
   * another article, has the page of {@code asked} itself as its body: read as a page of unknown
   * status, the parser finds an article, and its title is the one asked for (not another
   * article's, which a page for an alias names by its canonical link). The site's not-found page,
   * or another article's, is not.
   */
  public static boolean ownPageUnderNotFound(ArticleParser parser, ArticleUrl asked,
      FetchResponse response) {
    if (!notFound(response.status()) || ArticleUrl.tryParse(response.finalUri().toString())
        .filter(asked::equals).isEmpty()) {
      return false;
    }
    ParseResult asPage = parser.parse(
        new Page(asked, 0, response.contentType(), response.body()));
    return asPage.outcome() == Outcome.ARTICLE && asPage.row()
        .filter(row -> titleKey(row.title()).equals(titleKey(asked.title()))).isPresent();
  }

  /** A title as the parser compares titles: NFKC, stripped, lower case. */
  private static String titleKey(String title) {
    return title == null ? "" : Normalizer.normalize(title, Normalizer.Form.NFKC).strip()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * A "not found" answer: a page of the site, which the parser reads as NOT_FOUND. It is
   * unrecognised only as the page of another article reached through a redirect that is not
   * permanent ({@link Redirected}), a classification for good rather than a failed fetch.
   */
  private static boolean notFound(int status) {
    return status == 404 || status == 410;
  }

  /**
   * The parse of the last answer the fetcher asked the scraper to judge, kept for the page the
   * call returns: one parse a page. What the parse threw is thrown when the page is read, after
   * its copy is kept, as when the page is parsed after the fetch. Confined to one call.
   */
  private final class Reading {
    private byte[] body;
    private ParseResult result;
    private RuntimeException failed;
    private Error error;

    boolean judge(WorkItem item, FetchResponse answer) {
      body = answer.body();
      result = null;
      failed = null;
      error = null;
      try {
        ArticleParser.Judged judged = Redirected.judged(parser, item.url(), answer);
        result = judged.result();
        return judged.cutShort();
      } catch (RuntimeException e) {
        failed = e;
      } catch (Error e) {
        error = e; // a stack overflow in a page's parse, thrown as the parse's own
      }
      return false; // thrown after the copy is kept, as by a parse after the fetch
    }

    /** The parse of {@code response}'s page, or null when no judge read it. */
    ParseResult of(FetchResponse response) {
      if (body != response.body()) {
        return null; // not this answer's body (a fetcher that judges nothing)
      }
      if (failed != null) {
        throw failed;
      }
      if (error != null) {
        throw error;
      }
      return result;
    }
  }

  /** The site kept answering with a server error. */
  static final class FetchFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    FetchFailedException(dev.pixivdic.core.ArticleUrl url, int status, int attempts) {
      super(message(url, status, attempts, ""));
    }

    static String message(dev.pixivdic.core.ArticleUrl url, int status, int attempts,
        String how) {
      return url + ": HTTP " + status + how + " after " + attempts + " attempt"
          + (attempts == 1 ? "" : "s");
    }
  }
}
