package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Outcome;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ArticleParser} made of one page.
 *
 * @param outcome what the page is
 * @param row present iff the outcome is {@link Outcome#ARTICLE} or {@link Outcome#NOT_FOUND};
 *     a NOT_FOUND row carries only its URL and status. Run metadata ({@code loaded_at},
 *     {@code run_id}, {@code scraper_version}, {@code middle_class_ip_name}) is left null
 * @param provenance column name to the strategy that served it, in column order; empty unless
 *     the outcome is ARTICLE. {@code bookmark} shares {@code checklist_count}'s strategy
 * @param detail a human-readable reason, e.g. {@code bot challenge: title 'Just a moment...'}
 *     or the columns an article page lacked
 * @param disagreements the columns for which strategies read different values (or a count
 *     that a figure another strategy found cannot stand for), in column order; each such
 *     column is absent from the row (and from the provenance). A title disagreement
 *     leaves the page without a title, so it can come with any outcome but NOT_FOUND
 */
public record ParseResult(Outcome outcome, Optional<ArticleRow> row,
    Map<String, Strategy> provenance, String detail, List<Disagreement> disagreements) {

  public ParseResult {
    requireNonNull(outcome, "outcome");
    requireNonNull(row, "row");
    requireNonNull(detail, "detail");
    provenance = Collections.unmodifiableMap(
        new LinkedHashMap<>(requireNonNull(provenance, "provenance")));
    disagreements = List.copyOf(requireNonNull(disagreements, "disagreements"));
    if (row.isPresent() != outcome.isStored()) {
      throw new IllegalArgumentException("a row is present iff the outcome is ARTICLE or "
          + "NOT_FOUND; outcome " + outcome + ", row present " + row.isPresent());
    }
    if (row.isPresent() && row.get().status() != outcome) {
      throw new IllegalArgumentException(
          "row status " + row.get().status() + " differs from outcome " + outcome);
    }
  }

  /** A result whose strategies all agreed. */
  public ParseResult(Outcome outcome, Optional<ArticleRow> row, Map<String, Strategy> provenance,
      String detail) {
    this(outcome, row, provenance, detail, List.of());
  }

  static ParseResult article(ArticleRow row, Map<String, Strategy> provenance, String detail,
      List<Disagreement> disagreements) {
    return new ParseResult(Outcome.ARTICLE, Optional.of(row), provenance, detail, disagreements);
  }

  static ParseResult notFound(ArticleRow row, String detail) {
    return new ParseResult(Outcome.NOT_FOUND, Optional.of(row), Map.of(), detail);
  }

  static ParseResult other(Outcome outcome, String detail) {
    return other(outcome, detail, List.of());
  }

  static ParseResult other(Outcome outcome, String detail, List<Disagreement> disagreements) {
    return new ParseResult(outcome, Optional.empty(), Map.of(), detail, disagreements);
  }
}
