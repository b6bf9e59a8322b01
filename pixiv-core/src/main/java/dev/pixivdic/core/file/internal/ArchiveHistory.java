package dev.pixivdic.core.file.internal;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.file.internal.PageArchive.Entry;
import dev.pixivdic.core.internal.LongHashSet;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every archived page of each URL, for a replay that looks past a URL's latest page when that
 * page turns out to be no page of the article (a bot challenge or a maintenance notice served
 * with HTTP 200, which only the parser can tell): {@link #latest()} gives each URL's last
 * {@linkplain Entry#isPage() page}, as {@link PageArchive#latest()} does, and {@link #older}
 * the pages archived before it, newest first, read from the index only when asked for.
 *
 * <p>It reads the index as often as {@link PageArchive#latest()} does, and keeps about 40
 * bytes per index line in between: the URL's fingerprint and where the line starts.
 * Thread-safe once made: {@link #older} may be called from several threads.
 */
public final class ArchiveHistory implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveHistory.class);

  private final ArchiveIndex index;
  private final Path file;
  private final BitSet last;
  /** The fingerprints of the URLs with older pages, ascending, each once. */
  private final long[] urls;
  /** Where each URL's older pages start in {@link #starts}; one more than {@link #urls}. */
  private final int[] groups;
  /** Where each older page's index line starts, grouped by URL, newest first in a group. */
  private final long[] starts;
  private final FileChannel channel;
  private boolean latestGiven;

  private ArchiveHistory(ArchiveIndex index, Path file, BitSet last, long[] urls, int[] groups,
      long[] starts) throws IOException {
    this.index = index;
    this.file = file;
    this.last = last;
    this.urls = urls;
    this.groups = groups;
    this.starts = starts;
    this.channel = starts.length == 0 ? null : FileChannel.open(file, StandardOpenOption.READ);
  }

  /** Reads the index once, keeping where each URL's pages are. */
  static ArchiveHistory of(ArchiveIndex index, Path file) throws IOException {
    long[] fingerprints = new long[1024];
    long[] offsets = new long[1024];
    BitSet pages = new BitSet();
    LongHashSet all = new LongHashSet();
    int n = 0;
    try (Lines lines = new Lines(index.read())) {
      for (String line = lines.next(); line != null; line = lines.next()) {
        if (line.isBlank()) {
          continue;
        }
        Entry e;
        try {
          e = ArchiveEntryCodec.parse(line);
        } catch (IllegalArgumentException bad) {
          throw index.damaged(lines.lineNumber(), bad.getMessage(), bad);
        }
        if (n == fingerprints.length) {
          fingerprints = Arrays.copyOf(fingerprints, n * 2);
          offsets = Arrays.copyOf(offsets, n * 2);
        }
        fingerprints[n] = Shard.fingerprint(e.url().canonical());
        offsets[n] = lines.start();
        all.add(fingerprints[n]);
        pages.set(n, e.isPage());
        n++;
      }
    } catch (TooLong t) {
      throw index.damaged(t.line, t.getMessage(), null);
    }
    BitSet last = new BitSet(n);
    BitSet older = new BitSet(n);
    LongHashSet seen = new LongHashSet();
    for (int i = n - 1; i >= 0; i--) {
      if (pages.get(i)) {
        if (seen.add(fingerprints[i])) {
          last.set(i);
        } else {
          older.set(i);
        }
      }
    }
    int without = all.size() - seen.size();
    if (without > 0) {
      LOG.info("{}: {} URL{} only failed fetches (a server error, 403, 429, an empty answer),"
          + " no page to replay", file, without, without == 1 ? " has" : "s have");
    }
    final long[] fps = fingerprints;
    long[] urls = older.stream().mapToLong(i -> fps[i]).sorted().distinct().toArray();
    int[] groups = new int[urls.length + 1];
    older.stream().forEach(i -> groups[Arrays.binarySearch(urls, fps[i]) + 1]++);
    for (int g = 0; g < urls.length; g++) {
      groups[g + 1] += groups[g];
    }
    int[] fill = Arrays.copyOf(groups, urls.length);
    long[] starts = new long[older.cardinality()];
    for (int i = older.previousSetBit(n - 1); i >= 0; i = older.previousSetBit(i - 1)) {
      starts[fill[Arrays.binarySearch(urls, fps[i])]++] = offsets[i];
    }
    return new ArchiveHistory(index, file, last, urls, groups, starts);
  }

  /**
   * The last page of each URL, in the order written, as {@link PageArchive#latest()} gives them.
   * Given once: it reads the index again.
   */
  public synchronized Stream<Entry> latest() throws IOException {
    if (latestGiven) {
      throw new IllegalStateException(file + ": the latest pages are given once");
    }
    latestGiven = true;
    return index.entries(last);
  }

  /**
   * The pages of {@code url} archived before its {@linkplain #latest() latest} one, newest
   * first, each index line read when the stream comes to it: none for a URL with one page.
   * Reading a line that cannot be read throws an {@link UncheckedIOException}.
   */
  public Stream<Entry> older(ArticleUrl url) {
    long fp = Shard.fingerprint(url.canonical());
    int g = Arrays.binarySearch(urls, fp);
    if (g < 0) {
      return Stream.empty();
    }
    String canonical = url.canonical();
    return LongStream.of(Arrays.copyOfRange(starts, groups[g], groups[g + 1]))
        .mapToObj(start -> {
          try {
            return readAt(start);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        // Another URL with the same 64-bit fingerprint is no page of this one.
        .filter(e -> e.url().canonical().equals(canonical));
  }

  private Entry readAt(long start) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    ByteBuffer buf = ByteBuffer.allocate(8192);
    long at = start;
    long cap = Lines.CAP;
    read:
    while (true) {
      buf.clear();
      int got = channel.read(buf, at);
      if (got <= 0) {
        break;
      }
      for (int i = 0; i < got; i++) {
        byte b = buf.get(i);
        if (b == '\n') {
          break read;
        }
        if (line.size() >= cap) {
          throw new CorruptArchiveException(file, "the index line at byte " + start
              + " is over the limit of " + ArchiveIndex.MAX_LINE + " characters", null);
        }
        line.write(b);
      }
      at += got;
    }
    try {
      return ArchiveEntryCodec.parse(Lines.text(line.toByteArray(), line.size()));
    } catch (IllegalArgumentException bad) {
      throw new CorruptArchiveException(file, "the index line at byte " + start
          + " is not an archive entry: " + bad.getMessage(), bad);
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  /** A line over {@link ArchiveIndex#MAX_LINE} characters. */
  private static final class TooLong extends IOException {
    private static final long serialVersionUID = 1L;
    final long line;

    TooLong(long line, String message) {
      super(message);
      this.line = line;
    }
  }

  /**
   * The index's lines as text, each with where it starts in the file, in bytes.
   *
   * <p>Its loop is the one of {@link UrlListReader.LineCountingReader#readLine}, kept apart on
   * purpose: this one reads bytes, as {@link #start()} is a byte offset that
   * {@link ArchiveHistory#older} reads the line at again (characters decoded from a damaged line,
   * one U+FFFD for one to three bytes, cannot give it back), and a line over the limit is damage
   * that stops the replay, where a source's is one bad line, skipped. Java shares no loop
   * between {@code byte[]} and {@code char[]} without a call per character;
   * {@code BufferedReader.readLine} and Guava's {@code LineReader} hold a line of any length and
   * end one at a lone CR too.
   */
  private static final class Lines implements Closeable {
    /** Bytes of a line kept: more always decode to more than {@link ArchiveIndex#MAX_LINE}. */
    static final int CAP = 4 * (ArchiveIndex.MAX_LINE + 2);

    private final InputStream in;
    private final byte[] buf = new byte[65536];
    private int pos;
    private int end;
    private long offset;
    private long start;
    private long line;
    private byte[] text = new byte[1024];

    Lines(InputStream in) {
      this.in = in;
    }

    /** The next line without its line end, or null at the end. */
    String next() throws IOException {
      start = offset;
      int n = 0;
      long length = 0;
      boolean any = false;
      while (true) {
        if (pos == end) {
          end = in.read(buf, 0, buf.length);
          pos = 0;
          if (end <= 0) {
            end = 0;
            if (!any) {
              return null;
            }
            break;
          }
        }
        any = true;
        byte b = buf[pos++];
        offset++;
        if (b == '\n') {
          break;
        }
        length++;
        if (n < CAP) {
          if (n == text.length) {
            text = Arrays.copyOf(text, Math.min(CAP, n * 2));
          }
          text[n++] = b;
        }
      }
      line++;
      String s = length > CAP ? null : text(text, n);
      if (s == null || s.length() > ArchiveIndex.MAX_LINE) {
        throw new TooLong(line, "the line is over the limit of " + ArchiveIndex.MAX_LINE
            + " characters");
      }
      return s;
    }

    /** UTF-8 as the index is written, a CR before the line end left out. */
    static String text(byte[] bytes, int n) {
      if (n > 0 && bytes[n - 1] == '\r') {
        n--;
      }
      return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    long start() {
      return start;
    }

    long lineNumber() {
      return line;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
