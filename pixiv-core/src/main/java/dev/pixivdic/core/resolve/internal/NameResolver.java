package dev.pixivdic.core.resolve.internal;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.MapMaker;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.fetch.BodyTooLargeException;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.fetch.RetryLaterException;
import dev.pixivdic.core.fetch.UndecodableBodyException;
import dev.pixivdic.core.internal.OriginNames;
import dev.pixivdic.core.internal.ScraperVersion;
import dev.pixivdic.core.parse.PageTooLargeException;
import dev.pixivdic.core.parse.SearchHit;
import dev.pixivdic.core.parse.SearchPageParser;
import dev.pixivdic.core.parse.SearchResult;
import dev.pixivdic.core.resolve.NameItem;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.run.internal.FailedForGoodException;
import dev.pixivdic.core.run.internal.ItemProcessor;
import dev.pixivdic.core.run.internal.Processed;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Resolves one name to its articles through the site's search
 * ({@code https://dic.pixiv.net/search?query=<q>&page=<n>}, the query being
 * {@link NameCleaner#query} percent-encoded as UTF-8).
 *
 * <p>Page 1 is read; while no hit is the name as written ({@link NameCleaner#tier} 0) and the
 * announced total says more hits follow, the next page is read, up to the page limit. Of the
 * matching hits of the pages read, the closest are kept (several equally close are several
 * rows, one article once). A later page whose hits are all those of an earlier page ends the
 * paging: the matches found stand, and without one the name is unrecognised. Outcomes for the
 * run engine:
 * <ul>
 *   <li>{@link Outcome#ARTICLE}: one {@link ResolutionRow.Status#MATCHED} row per article;</li>
 *   <li>{@link Outcome#NOT_FOUND}: no match, zero hits (the site's HTTP 404 search page)
 *       included: one {@link ResolutionRow.Status#NO_MATCH} row with the hit count and a null
 *       URL, stored so that the name is not searched again within the refresh window;</li>
 *   <li>{@link Outcome#BLOCKED} (a challenge page, 403, 429), {@link Outcome#MAINTENANCE},
 *       {@link Outcome#UNRECOGNIZED} (not a search page; a page without readable hits though
 *       the total says more follow, or without a total; a repeated page before any match; no
 *       match among hits whose total cannot be read: feeds the drift guard): no row.</li>
 * </ul>
 * A server error that outlives the fetcher's retries throws {@link IOException}: the name failed
 * for now and a later run tries it again. When the fetcher hands a retry back
 * ({@link RetryLaterException}), the resolver keeps the pages read so far for that item, and
 * the call that brings the item back goes on from the page that failed. Thread-safe when the
 * fetcher is.
 */
public final class NameResolver implements ItemProcessor<NameItem, ResolutionRow> {

  /** The default page limit. */
  public static final int DEFAULT_MAX_PAGES = 3;

  private final Fetcher fetcher;
  private final NameCleaner cleaner;
  private final int maxPages;
  private final String runId;
  private final Clock clock;
  /** Where the fetcher sends requests, as a message names it ({@link OriginNames#named}). */
  private final String origin;
  private final SearchPageParser parser = SearchPageParser.create();
  /**
   * The searches that a deferred retry ({@link RetryLaterException}) interrupted, by item (by
   * identity: the engine brings back the same item); weak, so that an item the run abandons
   * takes its search with it.
   */
  private final ConcurrentMap<NameItem, Search> searches = new MapMaker().weakKeys().makeMap();
  /** Names the strip rules could not be applied to ({@link #rulesAtFault}). */
  private final LongAdder ruleFailures = new LongAdder();

  private NameResolver(Fetcher fetcher, NameCleaner cleaner, int maxPages, String runId,
      Clock clock, String origin) {
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.cleaner = requireNonNull(cleaner, "cleaner");
    this.runId = requireNonNull(runId, "runId");
    this.clock = requireNonNull(clock, "clock");
    this.origin = requireNonNull(origin, "origin");
    if (maxPages < 1) {
      throw new IllegalArgumentException("maxPages must be >= 1, was " + maxPages);
    }
    this.maxPages = maxPages;
  }

  /**
   * A resolver that reads at most {@code maxPages} result pages a name and stamps rows with
   * {@code runId} and the time from {@code clock}.
   *
   * @throws IllegalArgumentException when {@code maxPages < 1}
   */
  public static NameResolver create(Fetcher fetcher, NameCleaner cleaner, int maxPages,
      String runId, Clock clock) {
    return new NameResolver(fetcher, cleaner, maxPages, runId, clock,
        OriginNames.named(URI.create(ArticleUrl.ORIGIN)));
  }

  /**
   * A copy of this resolver whose messages name {@code origin}'s scheme, host and port as where
   * the answers came from (the fetcher's origin; default {@code https://dic.pixiv.net}).
   */
  public NameResolver withOrigin(URI origin) {
    return new NameResolver(fetcher, cleaner, maxPages, runId, clock,
        OriginNames.named(origin));
  }

  /** The search page URL for {@code query}, 1-based {@code page}. */
  public static URI searchUrl(String query, int page) {
    requireNonNull(query, "query");
    if (page < 1) {
      throw new IllegalArgumentException("page must be >= 1, was " + page);
    }
    return URI.create(ArticleUrl.ORIGIN + "/search?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20") + "&page=" + page);
  }

  /**
   * A match, or a search page that found none ({@code NO_MATCH}), is the site's own page; a
   * "not found" without a search page is not ({@link #process}).
   */
  @Override
  public boolean showsTheSite(Processed<ResolutionRow> processed) {
    return processed.outcome() == Outcome.ARTICLE
        || (processed.outcome() == Outcome.NOT_FOUND && !processed.rows().isEmpty());
  }

  @Override
  public void runStarting() {
    fetcher.runStarting();
  }

  @Override
  public void runEnded() {
    fetcher.runEnded();
  }

  /**
   * {@inheritDoc}
   *
   * @throws FailedForGoodException when the strip rules cannot be applied to the name within
   *     bounds ({@link NameCleaner.RuleFailedException}): the same every time
   */
  @Override
  public Processed<ResolutionRow> process(NameItem item) throws IOException, InterruptedException {
    requireNonNull(item, "item");
    try {
      return search(item);
    } catch (NameCleaner.RuleFailedException e) {
      ruleFailures.increment();
      throw new FailedForGoodException(e.getMessage(), e, true);
    }
  }

  /**
   * Why the strip rules are at fault, when they could not be applied to some name of the run
   * (they read more than their bound, or ran out of stack). Names are at most a line of a few
   * thousand characters, and a rule that cannot be applied to such a name within about a second
   * of matching backtracks without bound: the rule, not the name, is at fault, and no retry
   * changes that (the bound is a count of reads: the same names fail every time).
   * Each such name failed on its own; the other names are resolved all the same.
   */
  public Optional<String> rulesAtFault() {
    long failed = ruleFailures.sum();
    if (failed == 0) {
      return Optional.empty();
    }
    return Optional.of("the strip rules could not be applied to " + failed + " name"
        + (failed == 1 ? "" : "s") + " (named in the problems): the rules are at fault, and no"
        + " retry changes that; make them simpler");
  }

  private Processed<ResolutionRow> search(NameItem item) throws IOException, InterruptedException {
    Search s = searches.remove(item);
    if (s == null) {
      s = new Search(cleaner.query(item.name()));
    }
    // The rules run once a name: every hit is compared with this cleaned form.
    String cleaned = s.query.toLowerCase(Locale.ROOT);
    while (s.page < maxPages) {
      URI url = searchUrl(s.query, s.page + 1);
      FetchResponse response;
      try {
        response = fetcher.get(url).requireHttpStatus(); // as ArticleScraper does
      } catch (RetryLaterException e) {
        // The engine brings this item back after the delay: it goes on from this page, so the
        // pages already read are not spent on again.
        searches.put(item, s);
        throw e;
      } catch (BodyTooLargeException e) {
        return Processed.noRow(Outcome.UNRECOGNIZED, e.getMessage()); // the same every time
      } catch (UndecodableBodyException e) {
        throw new FailedForGoodException(e.getMessage(), e); // as ArticleScraper does
      }
      s.page++;
      SearchResult result;
      try {
        result = parser.parse(url, response.status(), response.contentType(), response.body());
      } catch (PageTooLargeException e) {
        return Processed.noRow(Outcome.UNRECOGNIZED, e.getMessage());
      }
      if (result.kind() != SearchResult.Kind.RESULTS) {
        if (result.kind() == SearchResult.Kind.UNRECOGNIZED && response.status() == 404
            && !result.isSearchPage()) {
          // The site answers a search without hits with its search page: a 404 that is none
          // is another server's (a wrong origin or path). Nothing is stored; the run holds
          // these as scrape holds its "not found" pages, and judges them at its end.
          return Processed.noRow(Outcome.NOT_FOUND, "'" + item.name() + "' page " + s.page
              + ": HTTP 404 and " + result.detail() + ", from " + origin);
        }
        if (result.kind() == SearchResult.Kind.UNRECOGNIZED && response.status() >= 500) {
          // A server error that outlived the retries says nothing about the markup.
          throw new IOException(url + ": HTTP " + response.status() + " after "
              + response.attempts() + " attempt" + (response.attempts() == 1 ? "" : "s"));
        }
        return Processed.noRow(outcome(result.kind()), "'" + item.name() + "' page " + s.page
            + ": " + result.detail());
      }
      if (result.page() != s.page) {
        // A site that answers page 1 for every page would make the name's hits seem read.
        return Processed.noRow(Outcome.UNRECOGNIZED, "'" + item.name() + "' page " + s.page
            + ": the site answered with page " + result.page());
      }
      Set<String> hits = new java.util.HashSet<>();
      result.hits().forEach(h -> hits.add(h.url().canonical()));
      if (!hits.isEmpty() && s.pageHits.contains(hits)) {
        // Page 2 as page 1 (a site that ignores the page number, or an order that shifted
        // between two reads): the pages after it cannot be read. A match already found
        // stands; without one, a NO_MATCH would say that pages never read hold no match. (A
        // page that shares some hits with the one before is no sign: an article added between
        // the two reads moves the last hit of page 1 to page 2.)
        if (!s.matches.isEmpty()) {
          s.note = "; page " + s.page + " repeated an earlier page's hits, so paging stopped";
          break;
        }
        return Processed.noRow(Outcome.UNRECOGNIZED, "'" + item.name() + "' page " + s.page
            + ": the same hits as an earlier page");
      }
      s.pageHits.add(hits);
      Long announced = result.totalHits() != null ? result.totalHits() : s.total;
      if (result.hits().isEmpty() && (announced == null || announced > s.hitsSeen)) {
        // A search page whose hits cannot be read, though neither it nor page 1 says there
        // are no more, is a sign of changed markup, on page 1 as on a later page: storing
        // NO_MATCH would hide the name for a refresh window.
        return Processed.noRow(Outcome.UNRECOGNIZED, "'" + item.name() + "' page " + s.page
            + ": " + (announced != null ? "announces " + announced + " hits but none could be read"
                : result.unreadableTotal() != null ? "no readable hits, and the total '"
                    + result.unreadableTotal() + "' could not be read"
                : "no hits and no total"));
      }
      if (result.totalHits() != null) {
        s.total = result.totalHits();
      } else if (result.unreadableTotal() != null) {
        s.unreadableTotal = result.unreadableTotal();
      }
      // Results left out (no article link, a link text not its address's title) are results
      // all the same: the total counts them, and a page after the last would be empty.
      s.hitsSeen += result.hits().size() + result.leftOut();
      // Of the page's matches, only the closest are kept: the title as the name is written
      // before another width or case of it, and either before the name without its decoration
      // (劇場版 for 劇場版 〜約束の日〜); another article's row would be a wrong row.
      int best = Integer.MAX_VALUE;
      List<SearchHit> found = new ArrayList<>();
      List<Integer> tiers = new ArrayList<>();
      for (SearchHit hit : result.hits()) {
        int tier = NameCleaner.tier(item.name(), cleaned, hit.title());
        if (tier >= 0 && s.seenUrls.add(hit.url().canonical())) {
          found.add(hit);
          tiers.add(tier);
          best = Math.min(best, tier);
        }
      }
      if (best < s.best) {
        s.matches.clear();
        s.best = best;
      }
      for (int i = 0; i < found.size(); i++) {
        if (tiers.get(i) == s.best) {
          s.matches.add(found.get(i));
        }
      }
      // A match that is not the name as written may have a closer one on a later page (the
      // query is the name without its decoration: 劇場版 on page 1, 劇場版 〜約束の日〜 on
      // page 2), so the pages go on until the name as written is found or none are left.
      boolean more = !result.hits().isEmpty() && s.total != null && s.total > s.hitsSeen;
      if (s.best == 0 || !more) {
        break;
      }
    }
    if (s.matches.isEmpty() && s.total == null) {
      // Hits without a readable total: whether a later page holds the name is unknown, and a
      // NO_MATCH would hide it for a refresh window. The markup moved: the drift guard counts it.
      return Processed.noRow(Outcome.UNRECOGNIZED, "'" + item.name() + "' page " + s.page
          + ": no match among " + s.hitsSeen + " hits, and " + (s.unreadableTotal == null
              ? "no total" : "the total '" + s.unreadableTotal + "' could not be read")
          + " to tell whether more follow");
    }
    return toProcessed(item, cleaned, s);
  }

  private Processed<ResolutionRow> toProcessed(NameItem item, String clean, Search s) {
    List<SearchHit> matches = s.matches;
    Long total = s.total;
    int pages = s.page;
    Instant now = clock.instant();
    if (matches.isEmpty()) {
      ResolutionRow row = new ResolutionRow(item.name(), clean, null, null, total, now,
          ResolutionRow.Status.NO_MATCH, pages, runId, ScraperVersion.get(), item.attributes());
      return new Processed<>(Outcome.NOT_FOUND, List.of(row), Set.of(),
          "'" + item.name() + "': no match in " + (total == null ? "?" : total) + " hits, "
              + pages + " page" + (pages == 1 ? "" : "s"));
    }
    List<ResolutionRow> rows = new ArrayList<>();
    for (SearchHit hit : matches) {
      rows.add(new ResolutionRow(item.name(), clean, hit.url().canonical(), hit.title(), total,
          now, ResolutionRow.Status.MATCHED, pages, runId, ScraperVersion.get(),
          item.attributes()));
    }
    return new Processed<>(Outcome.ARTICLE, rows, Set.of(ResolutionJson.URL,
        ResolutionJson.PIXIV_SEARCH_RESULT_IP), "'" + item.name() + "': " + rows.size()
        + " match" + (rows.size() == 1 ? "" : "es") + s.note);
  }

  /** Where the search for one name stands: its query, the pages read and what they held. */
  private static final class Search {
    final String query;
    final Set<String> seenUrls = new LinkedHashSet<>();
    /** The hits of each page read, matching or not. */
    final List<Set<String>> pageHits = new ArrayList<>();
    final List<SearchHit> matches = new ArrayList<>();
    /** The tier ({@link NameCleaner#tier}) of {@link #matches}; none yet: above every tier. */
    int best = Integer.MAX_VALUE;
    Long total;
    /** The total a page showed but that could not be read, when none could. */
    String unreadableTotal;
    long hitsSeen;
    int page;
    /** What the detail adds (a page that repeated an earlier one), or "". */
    String note = "";

    Search(String query) {
      this.query = query;
    }
  }

  private static Outcome outcome(SearchResult.Kind kind) {
    return switch (kind) {
      case BLOCKED -> Outcome.BLOCKED;
      case MAINTENANCE -> Outcome.MAINTENANCE;
      case UNRECOGNIZED, RESULTS -> Outcome.UNRECOGNIZED;
    };
  }
}
