package dev.pixivdic.core.file;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.io.ByteStreams;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of JSON lines that this project writes: the NDJSON sink, the resolution
 * file and the page archive's index. One class, so all three behave the same on a crash, a
 * second writer and a foreign file.
 *
 * <ul>
 *   <li><b>One writer.</b> {@link #open} takes an exclusive lock on {@code FILE.lock} beside the
 *       file before it reads or repairs anything, and holds it until {@link #close}. The lock is
 *       an {@code fcntl} lock on a file that nothing else in the process opens (on Linux, closing
 *       any descriptor of a locked file drops the process's lock, so the data file itself is not
 *       used), plus a process-wide set of held files against a second writer in the same JVM. A
 *       second writer fails at once with {@link FileInUseException}, naming the holder that the
 *       lock file records. The lock does not hold across hosts or on network file systems.
 *   <li><b>Only our files.</b> A file that is not empty must begin with a line written by this
 *       project ({@link Format#recognises}); otherwise {@link NotOurFileException} and the file
 *       is not touched. A file whose only content is an unterminated line counts as ours when
 *       that line begins as ours do.
 *   <li><b>Torn tail.</b> A crash in the middle of an append can leave an unterminated last
 *       line, or a last line that does not read back. In a file recognised as ours it is cut off;
 *       the bytes are appended to {@code FILE.torn} first and the repair is logged.
 *   <li><b>Appends</b> go to the end of the file, whole, and are forced to disk; a failed append
 *       is cut back.
 * </ul>
 *
 * <p>{@link #openReadOnly} does none of the writing: no lock, no repair, no file created. Not
 * thread-safe: the owning sink serialises calls.
 */
final class AppendLog implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(AppendLog.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final int CHUNK = 8192;
  /** How much of the first line is read to recognise a file. */
  private static final int FIRST_LINE_LIMIT = 1 << 20;
  /** Files locked by this process, against a second writer in the same JVM. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  /**
   * What the lines of one kind of file look like.
   *
   * @param kind what the file is, with its article, for messages ("an NDJSON sink")
   * @param signature fields every line this project writes has, at the top level; the first
   *     one is written first
   * @param isLine whether a line reads back as a whole line of this kind
   */
  record Format(String kind, List<String> signature, Predicate<String> isLine) {
    Format {
      requireNonNull(kind, "kind");
      signature = List.copyOf(signature);
      requireNonNull(isLine, "isLine");
    }

    /** Whether {@code line} is a whole line written by this project. */
    boolean recognises(String line) {
      try {
        return isLine.test(line) && topLevelFields(line).containsAll(signature);
      } catch (RuntimeException e) {
        return false;
      }
    }

    boolean readsBack(String line) {
      try {
        return isLine.test(line);
      } catch (RuntimeException e) {
        return false;
      }
    }

    /** Whether an unterminated first line starts as this project's lines do. */
    boolean beginsLikeOurs(String start) {
      String prefix = "{\"" + signature.get(0) + "\":";
      return start.startsWith(prefix) || prefix.startsWith(start);
    }
  }

  /** Opens the channel of the data file; tests substitute one that fails. */
  @FunctionalInterface
  interface ChannelFactory {
    FileChannel open(Path file) throws IOException;

    ChannelFactory DEFAULT = f -> FileChannel.open(f, StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private final Path file;
  private final FileChannel channel; // null when read-only
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Path held;
  private long length;
  private boolean closed;

  private AppendLog(Path file, FileChannel channel, FileChannel lockChannel, FileLock lock,
      Path held, long length) {
    this.file = file;
    this.channel = channel;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.held = held;
    this.length = length;
  }

  /**
   * Opens {@code file} for appending: creates it and its directory if needed, takes the
   * writer's lock, checks that the file is ours and repairs a torn tail.
   *
   * @throws FileInUseException when another writer holds the lock
   * @throws NotOurFileException when the file is not one this project wrote, or not a regular
   *     file; nothing was changed
   */
  static AppendLog open(Path file, Format format, ChannelFactory channels) throws IOException {
    requireNonNull(file, "file");
    requireNonNull(format, "format");
    requireRegularOrAbsent(file, format);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path key = lockKey(file);
    if (!HELD.add(key)) {
      throw new FileInUseException(file, "by this process");
    }
    FileChannel lockChannel = null;
    FileChannel ch = null;
    try {
      Path lockFile = lockFile(file);
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = tryLock(lockChannel);
      if (lock == null) {
        throw new FileInUseException(file, holder(lockChannel));
      }
      recordHolder(lockChannel);
      ch = channels.open(file);
      long length = checkAndRepair(ch, file, format);
      return new AppendLog(file, ch, lockChannel, lock, key, length);
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      closeQuietly(ch, e);
      closeQuietly(lockChannel, e);
      throw e;
    }
  }

  /**
   * Opens {@code file} for reading only, changing nothing: no lock, no repair, no file made. A
   * missing file reads as empty; a torn tail is left out of {@link #read}.
   *
   * @throws NotOurFileException when the file is not one this project wrote
   */
  static AppendLog openReadOnly(Path file, Format format) throws IOException {
    requireNonNull(file, "file");
    requireNonNull(format, "format");
    requireRegularOrAbsent(file, format);
    if (!Files.exists(file)) {
      return new AppendLog(file, null, null, null, null, 0);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      recognise(ch, file, format);
      long complete = lastNewlineBefore(ch, ch.size()) + 1;
      if (complete != ch.size()) {
        LOG.info("{}: a torn last line ({} bytes) is ignored; a run that writes will repair it",
            file, ch.size() - complete);
      }
      return new AppendLog(file, null, null, null, null, complete);
    }
  }

  /** The lock file of {@code file}: {@code FILE.lock} beside it. */
  static Path lockFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  /** Where the bytes of a repaired torn tail are kept: {@code FILE.torn} beside it. */
  static Path tornFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".torn");
  }

  Path file() {
    return file;
  }

  /** The length of the file's whole lines, the part {@link #read} returns. */
  long length() {
    return length;
  }

  /** A stream of the file's whole lines as they are now (the caller closes it). */
  InputStream read() throws IOException {
    ensureOpen();
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    return ByteStreams.limit(Files.newInputStream(file), length);
  }

  /**
   * Appends {@code bytes} (whole lines) at the end of the file and forces them to disk. On
   * failure the file is cut back to its length before, then the error is thrown.
   *
   * @throws IOException when the bytes were not stored
   * @throws IllegalStateException when opened read-only, or closed
   */
  void append(byte[] bytes) throws IOException {
    ensureOpen();
    if (channel == null) {
      throw new IllegalStateException(file + " was opened read-only");
    }
    long before = channel.size();
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    try {
      long at = before;
      while (buf.hasRemaining()) {
        at += channel.write(buf, at);
      }
      channel.force(true);
      length = at;
    } catch (IOException e) {
      try {
        channel.truncate(before);
        channel.force(true);
      } catch (IOException cut) {
        e.addSuppressed(cut);
        throw new BrokenAppendException(file, e);
      }
      throw e;
    }
  }

  /** A failed append that could not be cut back: the log refuses further writes. */
  static final class BrokenAppendException extends IOException {
    private static final long serialVersionUID = 1L;

    BrokenAppendException(Path file, IOException cause) {
      super(file + ": a failed write could not be undone; reopen the file to repair it", cause);
    }
  }

  /** Releases the lock and closes the file. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (channel != null) {
        channel.close();
      }
    } finally {
      if (lockChannel != null) {
        try {
          if (lock.isValid()) {
            lock.release();
          }
        } finally {
          lockChannel.close();
          HELD.remove(held);
        }
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(file + " is closed");
    }
  }

  private static void requireRegularOrAbsent(Path file, Format format) throws IOException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new NotOurFileException(file, "is not a regular file, so it cannot be "
          + format.kind());
    }
    if (Files.isSymbolicLink(file) && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(file.toString(), null, "a dangling link");
    }
  }

  private static Path lockKey(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    return Files.exists(abs) ? abs.toRealPath() : abs;
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /** Writes who holds the lock into the lock file, for a second run's message. */
  private static void recordHolder(FileChannel lockChannel) throws IOException {
    String host = System.getenv().getOrDefault("HOSTNAME", "");
    String who = "pid " + ProcessHandle.current().pid() + (host.isEmpty() ? "" : " on " + host)
        + ", since " + Instant.now() + " (" + ManagementFactory.getRuntimeMXBean().getName()
        + ")\n";
    lockChannel.truncate(0);
    lockChannel.write(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
  }

  private static String holder(FileChannel lockChannel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(256);
      lockChannel.read(buf, 0);
      String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? null : "held by " + Preview.of(s);
    } catch (IOException e) {
      return null;
    }
  }

  /** Recognises the file and cuts a torn tail off; returns the length kept. */
  private static long checkAndRepair(FileChannel ch, Path file, Format format)
      throws IOException {
    long size = ch.size();
    if (size == 0) {
      return 0;
    }
    recognise(ch, file, format);
    long end = size;
    long lastNewline = lastNewlineBefore(ch, size);
    if (lastNewline != size - 1) {
      end = lastNewline + 1;
    } else {
      long start = lastNewlineBefore(ch, size - 1) + 1;
      long len = size - 1 - start;
      if (len > 0 && len < FIRST_LINE_LIMIT
          && !format.readsBack(read(ch, start, (int) len))) {
        end = start;
      }
    }
    if (end != size) {
      cutTail(ch, file, end);
    }
    return end;
  }

  private static void recognise(FileChannel ch, Path file, Format format) throws IOException {
    long size = ch.size();
    if (size == 0) {
      return;
    }
    int n = (int) Math.min(size, FIRST_LINE_LIMIT);
    String head = read(ch, 0, n);
    int nl = head.indexOf('\n');
    if (nl < 0 && size > n) {
      throw new NotOurFileException(file, "does not begin with a line pixiv writes (its first"
          + " line is longer than " + FIRST_LINE_LIMIT + " bytes)");
    }
    if (nl < 0) {
      if (!format.beginsLikeOurs(head)) {
        throw new NotOurFileException(file, "is not " + format.kind()
            + ": it holds '" + Preview.of(head) + "'");
      }
      return;
    }
    String first = head.substring(0, nl);
    if (!format.recognises(first)) {
      throw new NotOurFileException(file, "is not " + format.kind()
          + ": its first line is '" + Preview.of(first) + "'");
    }
  }

  private static void cutTail(FileChannel ch, Path file, long end) throws IOException {
    long size = ch.size();
    ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size - end, Integer.MAX_VALUE - 8));
    readFully(ch, tail, end);
    Path torn = tornFile(file);
    try (FileChannel out = FileChannel.open(torn, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      tail.flip();
      while (tail.hasRemaining()) {
        out.write(tail);
      }
      out.write(ByteBuffer.wrap(new byte[] {'\n'}));
      out.force(true);
    }
    tail.rewind();
    String text = StandardCharsets.UTF_8.decode(tail).toString();
    LOG.warn("{}: repaired a torn last line left by an interrupted write: removed {} bytes"
        + " ('{}'), kept in {}", file, size - end, Preview.of(text), torn);
    ch.truncate(end);
    ch.force(true);
  }

  private static Set<String> topLevelFields(String line) {
    Set<String> names = new HashSet<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return names;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        names.add(p.currentName());
        p.nextToken();
        p.skipChildren();
      }
    } catch (IOException e) {
      names.clear();
    }
    return names;
  }

  /** The position of the last '\n' before {@code end}, or -1. */
  private static long lastNewlineBefore(FileChannel ch, long end) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    long pos = end;
    while (pos > 0) {
      int n = (int) Math.min(CHUNK, pos);
      pos -= n;
      buf.clear().limit(n);
      readFully(ch, buf, pos);
      for (int i = n - 1; i >= 0; i--) {
        if (buf.get(i) == '\n') {
          return pos + i;
        }
      }
    }
    return -1;
  }

  private static String read(FileChannel ch, long pos, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    readFully(ch, buf, pos);
    return new String(buf.array(), 0, length, StandardCharsets.UTF_8);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long at = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += n;
    }
  }

  private static void closeQuietly(Closeable c, Exception failure) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
