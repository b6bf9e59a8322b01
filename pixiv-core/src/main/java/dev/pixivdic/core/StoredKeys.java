package dev.pixivdic.core;

import java.util.Arrays;

/**
 * A set of keys a sink already holds, kept as sorted 64-bit fingerprints
 * ({@link Shard#fingerprint}) so a million URLs take 8 MB. Two different keys share a
 * fingerprint with a probability of about n²/2⁶⁵ (3·10⁻⁸ for a million keys); such a key would
 * be skipped for one refresh window. Immutable and thread-safe.
 */
public final class StoredKeys {

  private static final StoredKeys NONE = new StoredKeys(new long[0]);

  private final long[] sorted;

  private StoredKeys(long[] sorted) {
    this.sorted = sorted;
  }

  /** The empty set. */
  public static StoredKeys none() {
    return NONE;
  }

  /** A set of the given fingerprints (copied; any order, duplicates allowed). */
  public static StoredKeys ofFingerprints(long[] fingerprints) {
    long[] copy = fingerprints.clone();
    Arrays.sort(copy);
    int n = 0;
    for (int i = 0; i < copy.length; i++) {
      if (i == 0 || copy[i] != copy[i - 1]) {
        copy[n++] = copy[i];
      }
    }
    return new StoredKeys(Arrays.copyOf(copy, n));
  }

  /** Whether the key is held. */
  public boolean contains(String key) {
    return Arrays.binarySearch(sorted, Shard.fingerprint(key)) >= 0;
  }

  /** How many distinct keys are held. */
  public int size() {
    return sorted.length;
  }

  /** Collects fingerprints without boxing. Not thread-safe. */
  public static final class Builder {
    private long[] buf = new long[1024];
    private int n;

    /** Adds a key. */
    public Builder add(String key) {
      return addFingerprint(Shard.fingerprint(key));
    }

    /**
     * Adds a key's fingerprint, as computed by {@link Shard#fingerprint} or BigQuery's
     * FARM_FINGERPRINT.
     */
    public Builder addFingerprint(long fingerprint) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, n * 2);
      }
      buf[n++] = fingerprint;
      return this;
    }

    /** The set of what was added. */
    public StoredKeys build() {
      return ofFingerprints(Arrays.copyOf(buf, n));
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }
}
