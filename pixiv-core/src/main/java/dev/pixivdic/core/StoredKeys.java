package dev.pixivdic.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * A set of keys a sink already holds, kept as sorted 64-bit fingerprints
 * ({@link Shard#fingerprint}) so a million URLs take 8 MB. Two different keys share a
 * fingerprint with a probability of about n²/2⁶⁵ (3·10⁻⁸ for a million keys); such a key would
 * be skipped for one refresh window. Thread-safe; immutable but for a {@link #deferred} set,
 * which looks its keys up once, when first needed.
 */
public final class StoredKeys {

  private static final StoredKeys NONE = new StoredKeys(new long[0], null, null);

  /** Looks up the keys a sink holds. */
  @FunctionalInterface
  public interface Lookup {
    /**
     * The keys.
     *
     * @throws IOException when the sink cannot be read
     */
    StoredKeys keys() throws IOException;
  }

  /**
   * The lookup of a {@link #deferred} set failed: the sink could not be read. Its cause is the
   * lookup's {@link IOException}.
   */
  public static final class LookupFailedException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    LookupFailedException(IOException cause) {
      super("reading what the sink holds: " + cause.getMessage(), cause);
    }
  }

  private final long[] sorted;
  private final BooleanSupplier needed;
  private final Lookup lookup;
  private StoredKeys looked;

  private StoredKeys(long[] sorted, BooleanSupplier needed, Lookup lookup) {
    this.sorted = sorted;
    this.needed = needed;
    this.lookup = lookup;
  }

  /**
   * A set whose keys are looked up only when needed: while {@code needed} answers false it
   * holds no key, without a lookup (the caller knows that every key it asks about is not held,
   * for example because its source already left out what the sink holds); at the first
   * {@link #contains} after {@code needed} answers true, {@code lookup} runs once and answers
   * from then on.
   *
   * @throws LookupFailedException from {@link #contains} when the lookup fails (it runs again at
   *     the next call)
   */
  public static StoredKeys deferred(BooleanSupplier needed, Lookup lookup) {
    return new StoredKeys(null, requireNonNull(needed, "needed"),
        requireNonNull(lookup, "lookup"));
  }

  /** The empty set. */
  public static StoredKeys none() {
    return NONE;
  }

  /** A set of the given fingerprints (copied; any order, duplicates allowed). */
  public static StoredKeys ofFingerprints(long[] fingerprints) {
    long[] copy = requireNonNull(fingerprints, "fingerprints").clone();
    Arrays.sort(copy);
    int n = 0;
    for (int i = 0; i < copy.length; i++) {
      if (i == 0 || copy[i] != copy[i - 1]) {
        copy[n++] = copy[i];
      }
    }
    return new StoredKeys(Arrays.copyOf(copy, n), null, null);
  }

  /**
   * Whether the key is held.
   *
   * @throws LookupFailedException when a deferred set's lookup fails
   */
  public boolean contains(String key) {
    if (sorted != null) {
      return Arrays.binarySearch(sorted, Shard.fingerprint(key)) >= 0;
    }
    StoredKeys keys = lookedUp();
    return keys != null && keys.contains(key);
  }

  /** The looked-up keys of a deferred set; null while they are not needed. */
  private synchronized StoredKeys lookedUp() {
    if (looked == null && needed.getAsBoolean()) {
      try {
        looked = requireNonNull(lookup.keys(), "the lookup's keys");
      } catch (IOException e) {
        throw new LookupFailedException(e);
      } catch (java.io.UncheckedIOException e) {
        throw new LookupFailedException(e.getCause()); // the sink's failure all the same
      }
    }
    return looked;
  }

  /** Whether the keys are known: false for a deferred set whose lookup was not needed yet. */
  public boolean known() {
    synchronized (this) {
      return sorted != null || looked != null;
    }
  }

  /** How many distinct keys are held; for a deferred set, 0 until {@link #known}. */
  public int size() {
    synchronized (this) {
      return sorted != null ? sorted.length : looked == null ? 0 : looked.size();
    }
  }

  /** Collects fingerprints without boxing. Not thread-safe. */
  public static final class Builder {
    private long[] buf = new long[1024];
    private int n;

    /** Adds a key. */
    public Builder add(String key) {
      return addFingerprint(Shard.fingerprint(requireNonNull(key, "key")));
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
