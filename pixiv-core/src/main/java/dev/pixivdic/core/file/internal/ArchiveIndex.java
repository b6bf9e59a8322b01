package dev.pixivdic.core.file.internal;

import com.google.common.collect.AbstractIterator;
import com.google.common.collect.Streams;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.file.internal.PageArchive.Entry;
import dev.pixivdic.core.internal.LongHashSet;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of a {@link PageArchive}: {@code index.ndjson}, one {@link ArchiveEntryCodec} line
 * per fetch, kept by an {@link AppendLog} (one writer, only an archive index, a torn last line
 * cut away on opening for writing). Reading streams the lines as entries, naming a damaged line
 * by its number.
 *
 * <p>Thread-safe: appends are serialised, and a stream reads the whole lines as they were when
 * it was opened.
 */
final class ArchiveIndex implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveIndex.class);

  private final AppendLog log;

  private ArchiveIndex(AppendLog log) {
    this.log = log;
  }

  /** The index file of the archive in {@code dir}. */
  static Path fileOf(Path dir) {
    return dir.resolve("index.ndjson");
  }

  /**
   * Opens the index for appending: locks it, checks that it is an archive index and repairs a
   * torn last line.
   *
   * @throws FileInUseException when another writer holds the lock
   * @throws NotOurFileException when the file is not an archive index
   */
  static ArchiveIndex open(Path file) throws IOException {
    requireOneName(file);
    return new ArchiveIndex(
        AppendLog.open(file, ArchiveEntryCodec.FORMAT, AppendLog.ChannelFactory.DEFAULT));
  }

  /**
   * Refuses an index with a second name, which a writer's lock would not cover (a reader, such
   * as {@code replay}, may read one: a snapshot made with {@code cp -al} shares its files).
   */
  static void requireOneName(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    AppendLog.requireOneName(file, "Write to a copy of the archive (cp -r " + dir + " NEW), or"
        + " remove the index's other names");
  }

  /** Opens the index for reading only; an incomplete last line is left out. */
  static ArchiveIndex openReadOnly(Path file) throws IOException {
    return new ArchiveIndex(AppendLog.openReadOnly(file, ArchiveEntryCodec.FORMAT));
  }

  /**
   * Appends the entry's line and forces it to disk. An entry whose pass-through columns would
   * make a line longer than an index line may be ({@link #MAX_LINE}: a damaged line for every
   * later read) is appended without its largest ones, as few as make it fit, with a warning.
   *
   * @return the entry as appended
   * @throws IOException when it was not stored; a failed append is cut back
   */
  Entry append(Entry entry) throws IOException {
    return appendAll(List.of(entry)).get(0);
  }

  /**
   * Appends the entries' lines, in order, as one write forced to disk once, as {@link
   * #append} does each: all of them are stored, or (cut back) none.
   *
   * @return the entries as appended
   * @throws IOException when they were not stored; a failed append is cut back
   */
  List<Entry> appendAll(List<Entry> entries) throws IOException {
    List<Entry> written = new ArrayList<>(entries.size());
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (Entry entry : entries) {
      Entry e = fitted(entry);
      written.add(e);
      lines.writeBytes((ArchiveEntryCodec.toLine(e) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    synchronized (this) {
      log.append(lines.toByteArray());
    }
    return written;
  }

  /** The entry, without the pass-through columns that would make its line too long. */
  private static Entry fitted(Entry entry) {
    String text = ArchiveEntryCodec.toLine(entry);
    if (text.length() > MAX_LINE && !entry.attributes().isEmpty()) {
      // The largest values as written go first, so that the small ones replay needs (the
      // category) stay.
      Map<String, String> kept = new LinkedHashMap<>(entry.attributes());
      List<String> largestFirst = kept.keySet().stream().sorted(Comparator.comparingInt(
          (String name) -> ArchiveEntryCodec.encodedLength(kept.get(name))).reversed()).toList();
      List<String> left = new ArrayList<>();
      for (String name : largestFirst) {
        if (text.length() <= MAX_LINE) {
          break;
        }
        kept.remove(name);
        left.add(name);
        entry = entry.withAttributes(kept);
        text = ArchiveEntryCodec.toLine(entry);
      }
      LOG.warn("{}: its pass-through columns made an archive index line over the {} characters"
          + " a line may have; archived without {} (a replay of it gives its row without them)",
          entry.url(), MAX_LINE, left);
    }
    return entry;
  }

  /** The longest index line read, in characters: an entry is a URL and a few short fields. */
  static final int MAX_LINE = 1024 * 1024;

  /** Every entry in the order written; see {@link PageArchive#entries()}. */
  Stream<Entry> entries() throws IOException {
    return entries(null);
  }

  /**
   * The last {@linkplain Entry#isPage() page} of each URL, in the order written: a fetch that
   * failed (a server error after the retries, 403, 429, an empty answer) is no page of the site,
   * and an older page of its URL stands. URLs with no page at all are left out and counted in a
   * log line. Reads the index twice, keeping about 24 bytes per index line in between.
   */
  Stream<Entry> latest() throws IOException {
    long[] fingerprints = new long[1024];
    BitSet pages = new BitSet();
    LongHashSet urls = new LongHashSet();
    int n = 0;
    try (Stream<Entry> all = entries(null)) {
      for (var it = all.iterator(); it.hasNext(); ) {
        if (n == fingerprints.length) {
          fingerprints = Arrays.copyOf(fingerprints, n * 2);
        }
        Entry e = it.next();
        fingerprints[n] = Shard.fingerprint(e.url().canonical());
        urls.add(fingerprints[n]);
        pages.set(n, e.isPage());
        n++;
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    BitSet last = new BitSet(n);
    LongHashSet seen = new LongHashSet();
    for (int i = n - 1; i >= 0; i--) {
      if (pages.get(i) && seen.add(fingerprints[i])) {
        last.set(i);
      }
    }
    int without = urls.size() - seen.size();
    if (without > 0) {
      LOG.info("{}: {} URL{} only failed fetches (a server error, 403, 429, an empty answer),"
          + " no page to replay", log.file(), without, without == 1 ? " has" : "s have");
    }
    return entries(last);
  }

  /** Every page of each URL; see {@link PageArchive#history()}. */
  ArchiveHistory history() throws IOException {
    return ArchiveHistory.of(this, log.file());
  }

  /** The index's whole lines as they are now, as bytes. */
  InputStream read() throws IOException {
    synchronized (this) {
      return log.read();
    }
  }

  /** The failure for damaged index line {@code line}: what is wrong and how to repair it. */
  CorruptArchiveException damaged(long line, String what, Throwable cause) {
    return new CorruptArchiveException(log.file(), "line " + line + ": not an archive entry: "
        + what + repair(line), cause);
  }

  /** The entries whose ordinal is set in {@code keep}, or all when it is null. */
  Stream<Entry> entries(BitSet keep) throws IOException {
    InputStream in;
    synchronized (this) {
      in = log.read();
    }
    UrlListReader.LineCountingReader reader = new UrlListReader.LineCountingReader(
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), MAX_LINE);
    int[] entryNo = {-1};
    Iterator<String> lines = new AbstractIterator<>() {
      @Override
      protected String computeNext() {
        try {
          String line = reader.readLine();
          return line == null ? endOfData() : line;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    return Streams.stream(lines)
        .map(line -> {
          if (line == UrlListReader.TOO_LONG) {
            // Held whole, a line of hundreds of megabytes ran the run out of memory.
            throw new UncheckedIOException(new CorruptArchiveException(log.file(), "line "
                + reader.lineNumber() + ": not an archive entry: " + reader.tooLong()
                + repair(reader.lineNumber()), null));
          }
          if (line.isBlank()) {
            return null;
          }
          entryNo[0]++;
          if (keep != null && !keep.get(entryNo[0])) {
            return null;
          }
          try {
            return ArchiveEntryCodec.parse(line);
          } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new CorruptArchiveException(log.file(),
                "line " + reader.lineNumber() + ": not an archive entry: " + e.getMessage()
                + repair(reader.lineNumber()), e));
          }
        })
        .filter(Objects::nonNull)
        .onClose(() -> {
          try {
            reader.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * What to do about damaged index line {@code line}. Nothing is replayed while it is there: the
   * line may hold a URL's latest page, and a replay that left it out would store an older page
   * of that URL, stamped as new, over the row of the later one. Moved out by hand, the line is
   * kept beside the index, where its URL (when the line still shows one) can be read.
   */
  private String repair(long line) {
    String index = log.file().toString();
    return ". A retry cannot fix this, and nothing is replayed while it is there (it may hold a"
        + " URL's latest page, which the replay would replace with an older one): move it out"
        + " (for example sed -n '" + line + "p' " + index + " >> " + index + ".bad && sed -i '"
        + line + "d' " + index + ", while no run writes the archive), scrape again any URL"
        + " it names, and replay";
  }

  /** Whether the index holds no whole line. */
  synchronized boolean isEmpty() {
    return log.length() == 0;
  }

  /**
   * Closes the index as {@link AppendLog#closeRemovingIfUnwritten} does: removed, with its lock
   * file and the directories made for them, when it was made and holds no line.
   *
   * @return whether the index was removed
   */
  synchronized boolean closeRemovingIfUnwritten() throws IOException {
    return log.closeRemovingIfUnwritten();
  }

  /** Releases the lock and closes the file. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    log.close();
  }
}
