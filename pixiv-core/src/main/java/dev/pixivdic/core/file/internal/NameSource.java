package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.resolve.NameItem;
import java.io.IOException;
import java.util.stream.Stream;

/**
 * Names to resolve, read from the same inputs as a {@link FileSource} (file or stdin, gzip,
 * strict or lenient, the same problem listener): a plain list with one name a line (blank lines
 * and lines starting with {@code #} ignored, the ends of each line trimmed), or CSV / NDJSON with
 * the name in a given column (default {@value #DEFAULT_COLUMN}, any case) and the other columns
 * passing through. A name met again is yielded once, with its first attributes, and counted
 * by the file source's {@link FileSource#duplicateCount()}. Bad lines
 * (an empty or missing name, malformed CSV or JSON, bytes that are not UTF-8) go to the file
 * source's problem listener, or end the stream in strict mode, exactly as for URLs; so does a
 * name holding a control character ({@link NameItem}). Items come
 * in file order; streams must be closed. Thread-safe as {@link FileSource} is.
 */
public final class NameSource implements Source<NameItem> {

  /** The column that holds the name by default. */
  public static final String DEFAULT_COLUMN = "middle_class_ip_name";

  private final FileSource input;
  private final String column;

  private NameSource(FileSource input, String column) {
    this.input = input;
    this.column = column;
  }

  /**
   * Names read from {@code input}'s file, found in {@code column} of a CSV or NDJSON file.
   *
   * @throws IllegalArgumentException when the column is blank
   */
  public static NameSource of(FileSource input, String column) {
    requireNonNull(input, "input");
    requireNonNull(column, "column");
    if (column.isBlank()) {
      throw new IllegalArgumentException("column must not be blank");
    }
    return new NameSource(input, column.strip());
  }

  /** The file source read from (its counters count bad lines). */
  public FileSource input() {
    return input;
  }

  /**
   * Streams the names of {@code shard} in file order.
   *
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   * @throws IOException when it cannot be opened
   * @throws IllegalStateException when standard input was already read
   */
  @Override
  public Stream<NameItem> items(Shard shard) throws IOException {
    requireNonNull(shard, "shard");
    return input.records().stream(column, shard, this::toName, NameItem::key, true);
  }

  private NameItem toName(RecordReader.Raw raw, RecordStream.Problems problems)
      throws BadSourceLineException {
    String name = raw.url() == null ? null : raw.url().strip();
    if (raw.problem() != null || name == null || name.isEmpty()) {
      problems.report(raw.line(), raw.problem() != null ? raw.problem()
          : "no name in '" + column + "'");
      return null;
    }
    try {
      return new NameItem(name, raw.attributes());
    } catch (IllegalArgumentException e) {
      problems.report(raw.line(), e.getMessage());
      return null;
    }
  }

  @Override
  public String toString() {
    return "NameSource[" + input.name() + ", column " + column + "]";
  }
}
