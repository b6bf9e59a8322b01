package dev.pixivdic.core;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Yields the work of one shard. Implementations decide where items come from (a file, stdin,
 * a BigQuery table); the run engine streams them, so a source of any size runs in bounded
 * memory.
 *
 * @param <T> the item type: {@link WorkItem} for article scraping
 */
public interface Source<T> extends Closeable {

  /**
   * The items of {@code shard}, in a deterministic order. The caller closes the stream. An
   * empty shard is not an error.
   *
   * @throws IOException when the source cannot be read
   */
  Stream<T> items(Shard shard) throws IOException;

  @Override
  default void close() throws IOException {}

  /** A source over items held in memory, sharded by {@code key}. Handy in tests. */
  static <T> Source<T> of(List<T> items, Function<? super T, String> key) {
    requireNonNull(items, "items");
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw new NullPointerException("items holds null at " + i);
      }
    }
    List<T> copy = List.copyOf(items);
    requireNonNull(key, "key");
    return shard -> copy.stream().filter(item -> shard.contains(key.apply(item)));
  }

  /** A source over articles held in memory. */
  static Source<WorkItem> ofItems(List<WorkItem> items) {
    return of(items, WorkItem::key);
  }
}
