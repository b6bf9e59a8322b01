package dev.pixivdic.core;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
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

  /**
   * A source over items held in memory, in their order, sharded by {@code key}: an item belongs
   * to the shard of its key ({@link Shard#contains(String)}). Handy in tests.
   *
   * <p>The key function is called as the items are streamed, for every item in every shard
   * ({@link Shard#ALL} included). Any string is a key, the empty one too: items with equal keys
   * fall in the same shard, so a function that answers one constant (such as {@code ""}) puts
   * every item in one shard and leaves the others empty. A key function that answers null
   * fails the stream there with a {@link NullPointerException} naming the item and its
   * position; in a run, that ends the run as an internal error of the source.
   *
   * @throws NullPointerException if {@code items} or {@code key} is null, or {@code items}
   *     holds null
   */
  static <T> Source<T> of(List<T> items, Function<? super T, String> key) {
    requireNonNull(items, "items");
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw new NullPointerException("items holds null at " + i);
      }
    }
    List<T> copy = List.copyOf(items);
    requireNonNull(key, "key");
    return shard -> IntStream.range(0, copy.size()).filter(i -> {
      String k = key.apply(copy.get(i));
      if (k == null) {
        throw new NullPointerException("the key function given to Source.of answered null for"
            + " item " + i + " (" + copy.get(i) + "): an item needs a key to fall in a shard");
      }
      return shard.contains(k);
    }).mapToObj(copy::get);
  }

  /** A source over articles held in memory. */
  static Source<WorkItem> ofItems(List<WorkItem> items) {
    return of(items, WorkItem::key);
  }
}
