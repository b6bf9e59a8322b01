package dev.pixivdic.core.run.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * At most {@code capacity} of the items offered, spread evenly over all of them however many
 * come: it keeps every {@code stride}-th item, and when full drops every other one it kept and
 * doubles the stride. Memory stays bounded by the capacity. Not thread-safe.
 *
 * <p>A run samples the items it may read to learn whether its origin serves the site so:
 * the first few items of a shard are often alike (a block of deleted articles that an earlier
 * run stored as "not found"), so a sample of the first ones can show nothing.
 *
 * @param <I> item type
 */
final class SpreadSample<I> {

  private final int capacity;
  private final List<I> kept = new ArrayList<>();
  private long offered;
  private long stride = 1;

  /** @param capacity items kept at most, an even number from 2 */
  SpreadSample(int capacity) {
    if (capacity < 2 || capacity % 2 != 0) {
      throw new IllegalArgumentException("capacity must be even and >= 2, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Offers the next item. */
  void offer(I item) {
    long position = offered++;
    if (position % stride != 0) {
      return;
    }
    if (kept.size() == capacity) {
      // Kept are the positions 0, stride, 2 stride...: every other one stays, at twice the stride.
      int n = 0;
      for (int i = 0; i < kept.size(); i += 2) {
        kept.set(n++, kept.get(i));
      }
      kept.subList(n, kept.size()).clear();
      stride *= 2;
      if (position % stride != 0) {
        return;
      }
    }
    kept.add(item);
  }

  boolean isEmpty() {
    return kept.isEmpty();
  }

  /**
   * The items kept, the middle one first, then the middles of the halves, and so on: any first
   * few of them are spread over the whole input, not bunched at its start.
   */
  List<I> spreadOrder() {
    List<I> order = new ArrayList<>(kept.size());
    Deque<int[]> ranges = new ArrayDeque<>();
    ranges.add(new int[] {0, kept.size()});
    while (!ranges.isEmpty()) {
      int[] r = ranges.poll();
      if (r[0] >= r[1]) {
        continue;
      }
      int mid = (r[0] + r[1]) / 2;
      order.add(kept.get(mid));
      ranges.add(new int[] {r[0], mid});
      ranges.add(new int[] {mid + 1, r[1]});
    }
    return order;
  }
}
