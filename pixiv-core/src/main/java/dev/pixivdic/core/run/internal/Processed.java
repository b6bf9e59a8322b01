package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Outcome;
import java.util.List;
import java.util.Set;

/**
 * What processing one item produced.
 *
 * @param outcome what the page turned out to be
 * @param rows rows to store (empty unless the outcome is stored)
 * @param presentColumns for {@link Outcome#ARTICLE}, the columns that got a value; feeds the
 *     field coverage of the report and the drift guard
 * @param detail a short human reason, shown for outcomes that are not stored
 * @param disagreements the columns the parser's strategies read differently (each left absent);
 *     counted in the report, and a page with any is a broken page for the drift guard
 * @param <R> row type
 */
public record Processed<R>(Outcome outcome, List<R> rows, Set<String> presentColumns,
    String detail, Set<String> disagreements) {
  public Processed {
    requireNonNull(outcome, "outcome");
    rows = List.copyOf(requireNonNull(rows, "rows"));
    presentColumns = Set.copyOf(requireNonNull(presentColumns, "presentColumns"));
    requireNonNull(detail, "detail");
    disagreements = Set.copyOf(requireNonNull(disagreements, "disagreements"));
    if (!rows.isEmpty() && !outcome.isStored()) {
      throw new IllegalArgumentException("an outcome of " + outcome + " stores no rows");
    }
  }

  /** A result whose parser strategies all agreed. */
  public Processed(Outcome outcome, List<R> rows, Set<String> presentColumns, String detail) {
    this(outcome, rows, presentColumns, detail, Set.of());
  }

  /** A page that yields no row, with the reason. */
  public static <R> Processed<R> noRow(Outcome outcome, String detail) {
    return new Processed<>(outcome, List.of(), Set.of(), detail);
  }
}
