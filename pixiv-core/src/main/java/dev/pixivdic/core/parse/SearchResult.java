package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalLong;

/**
 * What {@link SearchPageParser} made of one search page.
 *
 * @param kind what the page is
 * @param hits the results in page order; empty for a zero-hit page and for every kind but
 *     {@link Kind#RESULTS}
 * @param totalHits the total the page announces (検索結果：N件), 0 for a zero-hit page, null
 *     when not shown
 * @param page the 1-based page number
 * @param detail a human-readable reason or summary
 * @param leftOut results of the page that are not among {@code hits}: without an article link,
 *     or whose link text is not the title its address names; they count towards the total
 * @param unreadableTotal the total as the page shows it when it could not be read as a number
 *     (too large, say), {@code totalHits} being null then; null otherwise
 */
public record SearchResult(Kind kind, List<SearchHit> hits, Long totalHits, int page,
    String detail, int leftOut, String unreadableTotal) {

  /** What a search page turned out to be. */
  public enum Kind { RESULTS, BLOCKED, MAINTENANCE, UNRECOGNIZED }

  public SearchResult {
    requireNonNull(kind, "kind");
    hits = List.copyOf(requireNonNull(hits, "hits"));
    requireNonNull(detail, "detail");
    if (page < 1) {
      throw new IllegalArgumentException("page must be >= 1, was " + page);
    }
    if (leftOut < 0) {
      throw new IllegalArgumentException("leftOut must be >= 0, was " + leftOut);
    }
  }

  /** A result with no result left out. */
  public SearchResult(Kind kind, List<SearchHit> hits, Long totalHits, int page, String detail) {
    this(kind, hits, totalHits, page, detail, 0);
  }

  /** A result whose total, if shown, was read. */
  public SearchResult(Kind kind, List<SearchHit> hits, Long totalHits, int page, String detail,
      int leftOut) {
    this(kind, hits, totalHits, page, detail, leftOut, null);
  }

  /** How the detail of a page with neither the results header nor the results begins. */
  static final String NO_SEARCH_PAGE = "no search page";

  /**
   * Whether the page is one of the site's search pages: false for a page with neither the
   * results header nor the results (another server's page, a plain error page), a challenge or
   * a maintenance page; true for {@link Kind#RESULTS} and for a search page whose results
   * cannot be told apart.
   */
  public boolean isSearchPage() {
    return kind == Kind.RESULTS
        || (kind == Kind.UNRECOGNIZED && !detail.startsWith(NO_SEARCH_PAGE));
  }

  /** {@link #totalHits()} as an optional. */
  public OptionalLong total() {
    return totalHits == null ? OptionalLong.empty() : OptionalLong.of(totalHits);
  }
}
