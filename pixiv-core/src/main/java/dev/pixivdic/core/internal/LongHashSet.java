package dev.pixivdic.core.internal;

/**
 * An open-addressing set of 64-bit fingerprints: about 16 bytes per element at the default
 * load, no boxing. Not thread-safe.
 */
public final class LongHashSet {
  private static final long EMPTY = 0L;

  private long[] slots = new long[1024];
  private int size;
  private boolean hasZero;

  /** Adds the value; true when it was not present. */
  public boolean add(long value) {
    if (value == EMPTY) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if ((size + 1) * 2L > slots.length) {
      grow();
    }
    if (insert(slots, value)) {
      size++;
      return true;
    }
    return false;
  }

  public int size() {
    return size + (hasZero ? 1 : 0);
  }

  private static boolean insert(long[] table, long value) {
    int mask = table.length - 1;
    int i = mix(value) & mask;
    while (table[i] != EMPTY) {
      if (table[i] == value) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[i] = value;
    return true;
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (long v : slots) {
      if (v != EMPTY) {
        insert(bigger, v);
      }
    }
    slots = bigger;
  }

  // Fingerprints are already well mixed, but callers may add sequential values.
  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public String toString() {
    return "LongHashSet[size=" + size() + ", capacity=" + slots.length + "]";
  }
}
