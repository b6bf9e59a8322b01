package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Stream;

/** Source combinators. */
public final class Sources {

  /** The default slice size of {@code --batch-size}, as in the original batch. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  private Sources() {}

  /**
   * The {@code batchIndex}-th slice of {@code batchSize} items of the source sorted by canonical
   * URL, as the original batch selected with {@code ORDER BY url LIMIT size OFFSET index*size}:
   * slices 0, 1, 2, ... partition the source's distinct URLs in order. A slice past the end is
   * empty. Canonical URLs are ASCII, so the order is that of their bytes.
   *
   * <p>The slice is taken over the whole source ({@link Shard#ALL}), then the shard passed to
   * {@code items} filters it. A URL met twice counts once, with its first attributes. Items come
   * sorted by URL.
   *
   * <p>Each {@code items} call reads the source once more; the returned source is as
   * thread-safe as {@code source}, and closing it closes {@code source}.
   *
   * <p>Memory: one pass over the source keeping the {@code (batchIndex + 1) * batchSize}
   * smallest items in a heap, so it grows with the index (100 000 items for index 999 at the
   * default size), whatever the source's size.
   *
   * @throws IllegalArgumentException when {@code batchIndex < 0}, {@code batchSize < 1} or
   *     their product overflows
   */
  public static Source<WorkItem> batchSlice(Source<WorkItem> source, int batchIndex,
      int batchSize) {
    requireNonNull(source, "source");
    if (batchIndex < 0) {
      throw new IllegalArgumentException("batch index must be >= 0, was " + batchIndex);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
    }
    long keepLong = ((long) batchIndex + 1) * batchSize;
    if (keepLong > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("batch index " + batchIndex + " times batch size "
          + batchSize + " is too large: (index + 1) times size, the URLs read to make the slice,"
          + " must be at most " + (Integer.MAX_VALUE - 8));
    }
    int keep = (int) keepLong;
    return new Source<>() {
      @Override
      public Stream<WorkItem> items(Shard shard) throws IOException {
        requireNonNull(shard, "shard");
        List<WorkItem> slice = slice(source, keep, batchSize);
        return slice.stream().filter(item -> shard.contains(item.key()));
      }

      @Override
      public void close() throws IOException {
        source.close();
      }

      @Override
      public String toString() {
        return "batch " + batchIndex + " of size " + batchSize + " of " + source;
      }
    };
  }

  private static List<WorkItem> slice(Source<WorkItem> source, int keep, int size)
      throws IOException {
    Comparator<WorkItem> byKey = Comparator.comparing(WorkItem::key);
    // A max-heap of the smallest `keep` items seen: its head is the one to drop first.
    PriorityQueue<WorkItem> heap = new PriorityQueue<>(Math.min(keep, 1 << 16) + 1,
        byKey.reversed());
    Set<String> inHeap = new HashSet<>();
    try (Stream<WorkItem> items = source.items(Shard.ALL)) {
      items.forEach(item -> {
        String key = item.key();
        if (inHeap.contains(key)) {
          return;
        }
        if (heap.size() < keep) {
          heap.add(item);
          inHeap.add(key);
        } else if (key.compareTo(heap.peek().key()) < 0) {
          inHeap.remove(heap.poll().key());
          heap.add(item);
          inHeap.add(key);
        }
      });
    }
    List<WorkItem> sorted = new ArrayList<>(heap);
    sorted.sort(byKey);
    int from = Math.max(0, keep - size);
    return from >= sorted.size() ? List.of() : List.copyOf(sorted.subList(from, sorted.size()));
  }
}
