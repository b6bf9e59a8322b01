package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Outcome;
import java.io.IOException;
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
 * @param onStored what the processor left to do once the engine lets the item's rows go on to
 *     be stored ({@link OnStored#NOTHING} by default)
 * @param <R> row type
 */
public record Processed<R>(Outcome outcome, List<R> rows, Set<String> presentColumns,
    String detail, Set<String> disagreements, OnStored onStored) {

  /**
   * What the processor leaves for when the item's rows go on to be stored: a page copy's index
   * line, for a page whose row the run may keep out ({@link RunConfig#notFoundAlone}). The
   * engine takes it on the run thread when it hands the rows on (at once, or when the hold
   * releases them), before they are written; for rows it never stores, never.
   */
  @FunctionalInterface
  public interface OnStored {
    OnStored NOTHING = () -> {};

    /**
     * @throws IOException when it could not be done: the run stops as when its sink fails, and
     *     the item's rows are not stored
     */
    void run() throws IOException;
  }

  /**
   * A step that several items' {@link OnStored} share, taken for all of them at once when the
   * engine hands on their rows together (the held "not found" pages at the first article): the
   * index lines of a page archive, written by one append and forced to disk once.
   *
   * @param <T> what each item adds to the step
   */
  @FunctionalInterface
  public interface Joint<T> {
    /**
     * Takes the step for all of {@code parts}, in order, as one: all of it is done, or none.
     *
     * @throws IOException when it could not be done; none of the parts then counts
     */
    void runAll(List<T> parts) throws IOException;

    /** One item's share of this step: alone, the step for it only. */
    default OnStored part(T part) {
      return new Part<>(this, part);
    }
  }

  /** One item's share of a {@link Joint} step. */
  public record Part<T>(Joint<T> joint, T part) implements OnStored {
    public Part {
      requireNonNull(joint, "joint");
      requireNonNull(part, "part");
    }

    @Override
    public void run() throws IOException {
      joint.runAll(List.of(part));
    }
  }

  public Processed {
    requireNonNull(outcome, "outcome");
    rows = List.copyOf(requireNonNull(rows, "rows"));
    presentColumns = Set.copyOf(requireNonNull(presentColumns, "presentColumns"));
    requireNonNull(detail, "detail");
    disagreements = Set.copyOf(requireNonNull(disagreements, "disagreements"));
    requireNonNull(onStored, "onStored");
    if (!rows.isEmpty() && !outcome.isStored()) {
      throw new IllegalArgumentException("an outcome of " + outcome + " stores no rows");
    }
  }

  /** A result with nothing left to do once its rows are stored. */
  public Processed(Outcome outcome, List<R> rows, Set<String> presentColumns, String detail,
      Set<String> disagreements) {
    this(outcome, rows, presentColumns, detail, disagreements, OnStored.NOTHING);
  }

  /** This result, {@code onStored} being done once its rows go on to be stored. */
  public Processed<R> withOnStored(OnStored onStored) {
    return new Processed<>(outcome, rows, presentColumns, detail, disagreements, onStored);
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
