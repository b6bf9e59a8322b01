package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.internal.LongHashSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The records of a {@link SourceInput} as a lazy stream of items: each record mapped by the
 * caller, the items of one shard kept, a repeated key left out, and bad lines reported (to the
 * listener, or by ending the stream in strict mode). The URL items of {@link FileSource} and the
 * names of {@link NameSource} are both streams of this kind, so they count and report alike.
 *
 * <p>Thread-safe: the counters hold over all streams; each stream is for one thread, and the
 * problem listener is called on it.
 */
final class RecordStream {

  /** Reports a bad line: to the listener, or, in strict mode, by throwing. */
  @FunctionalInterface
  interface Problems {
    /**
     * @param line the line's number, from 1
     * @param problem what is wrong, which may quote the line
     * @throws BadSourceLineException in strict mode
     */
    void report(long line, String problem) throws BadSourceLineException;
  }

  /** What one record becomes: an item, or null to skip it (a bad line is reported first). */
  @FunctionalInterface
  interface Mapper<T> {
    T map(RecordReader.Raw raw, Problems problems) throws BadSourceLineException;
  }

  private final SourceInput input;
  private final boolean strict;
  private final Consumer<SourceProblem> listener;
  private final AtomicLong problemCount = new AtomicLong();
  private final AtomicLong duplicateCount = new AtomicLong();
  private final Problems problems = this::badLine;

  /**
   * @param strict whether the first bad line ends the stream
   * @param listener receives each bad line when not strict
   */
  RecordStream(SourceInput input, boolean strict, Consumer<SourceProblem> listener) {
    this.input = requireNonNull(input, "input");
    this.strict = strict;
    this.listener = requireNonNull(listener, "listener");
  }

  /** The input read. */
  SourceInput input() {
    return input;
  }

  /** Bad lines reported so far, over all streams. */
  long problemCount() {
    return problemCount.get();
  }

  /** Repeated keys left out so far, over all streams. */
  long duplicateCount() {
    return duplicateCount.get();
  }

  /**
   * Opens the input as records keyed by {@code column} and streams them, each mapped by
   * {@code toItem}, keeping those whose key is in {@code shard} and, when {@code deduplicate},
   * only the first of each key (the others are counted as duplicates). Closing the stream closes
   * the input. Read errors, and bad lines in strict mode, arrive as {@link UncheckedIOException}
   * while it is consumed.
   *
   * @throws IOException when the input cannot be opened (see {@link SourceInput#open})
   */
  <T> Stream<T> stream(String column, Shard shard, Mapper<T> toItem,
      Function<? super T, String> key, boolean deduplicate) throws IOException {
    RecordReader reader = input.open(column);
    return StreamSupport.stream(new Records<>(reader, shard, toItem, key, deduplicate), false)
        .onClose(() -> {
          try {
            reader.close();
          } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + input.name(), e);
          }
        });
  }

  private void badLine(long line, String problem) throws BadSourceLineException {
    // A problem may quote the line: keep it short and free of control characters.
    problem = Preview.of(problem, 300);
    if (strict) {
      throw new BadSourceLineException(input.name(), line, problem);
    }
    problemCount.incrementAndGet();
    listener.accept(new SourceProblem(input.name(), line, problem));
  }

  private final class Records<T> extends Spliterators.AbstractSpliterator<T> {
    private final RecordReader reader;
    private final Shard shard;
    private final Mapper<T> toItem;
    private final Function<? super T, String> key;
    private final LongHashSet seen;
    private long good;
    private long bad;
    private long firstBad;
    private final Problems counted = (line, problem) -> {
      if (bad++ == 0) {
        firstBad = line;
      }
      problems.report(line, problem);
    };

    Records(RecordReader reader, Shard shard, Mapper<T> toItem,
        Function<? super T, String> key, boolean deduplicate) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.reader = reader;
      this.shard = shard;
      this.toItem = toItem;
      this.key = key;
      this.seen = deduplicate ? new LongHashSet() : null;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
      try {
        RecordReader.Raw raw;
        while ((raw = reader.next()) != null) {
          T item = toItem.map(raw, counted);
          if (item != null) {
            good++;
          }
          if (item == null || !shard.contains(key.apply(item))) {
            continue;
          }
          if (seen != null && !seen.add(Shard.fingerprint(key.apply(item)))) {
            duplicateCount.incrementAndGet();
            continue;
          }
          action.accept(item);
          return true;
        }
        if (good == 0 && bad > 0) {
          // Not one good record: the wrong file, format or encoding, which "0 items" would
          // have reported as a success.
          throw new BadSourceLineException(input.name(), firstBad, "not one of its records could"
              + " be read (" + bad + " bad lines, this the first): is it the right file, read"
              + " in the right format (pixiv's --source-format for a source, --names-format for"
              + " a names file) and saved as UTF-8?");
        }
        return false;
      } catch (BadSourceLineException | CorruptSourceException e) {
        throw new UncheckedIOException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(new IOException(
            "cannot read " + input.name() + ": " + e.getMessage(), e));
      }
    }
  }
}
