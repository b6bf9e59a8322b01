package dev.pixivdic.core.file;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.resolve.NameItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Names to resolve, read from the same inputs as a {@link FileSource} (file or stdin, gzip,
 * strict or lenient, the same problem listener): a plain list with one name a line (blank lines
 * and lines starting with {@code #} ignored, the ends of each line trimmed), or CSV / NDJSON with
 * the name in a given column (default {@value #DEFAULT_COLUMN}, any case) and the other columns
 * passing through. A name met again is yielded once, with its first attributes, and counted
 * by the file source's {@link FileSource#duplicateCount()}. Bad lines
 * (an empty or missing name, malformed CSV or JSON, bytes that are not UTF-8) go to the file
 * source's problem listener, or end the stream in strict mode, exactly as for URLs. Items come
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
    RecordReader reader = input.openRecords(column);
    return StreamSupport.stream(new Names(reader, shard), false).onClose(() -> {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + input.name(), e);
      }
    });
  }

  private final class Names extends Spliterators.AbstractSpliterator<NameItem> {
    private final RecordReader reader;
    private final Shard shard;
    private final LongHashSet seen = new LongHashSet();

    Names(RecordReader reader, Shard shard) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.reader = reader;
      this.shard = shard;
    }

    @Override
    public boolean tryAdvance(Consumer<? super NameItem> action) {
      try {
        RecordReader.Raw raw;
        while ((raw = reader.next()) != null) {
          String name = raw.url() == null ? null : raw.url().strip();
          if (raw.problem() != null || name == null || name.isEmpty()) {
            input.badLine(raw.line(), raw.problem() != null ? raw.problem()
                : "no name in '" + column + "'");
            continue;
          }
          if (!shard.contains(name)) {
            continue;
          }
          if (!seen.add(Shard.fingerprint(name))) {
            input.duplicate();
            continue;
          }
          action.accept(new NameItem(name, raw.attributes()));
          return true;
        }
        return false;
      } catch (BadSourceLineException e) {
        throw new UncheckedIOException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(new IOException(
            "cannot read " + input.name() + ": " + e.getMessage(), e));
      }
    }
  }

  @Override
  public String toString() {
    return "NameSource[" + input.name() + ", column " + column + "]";
  }
}
