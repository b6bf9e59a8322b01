package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.io.ByteStreams;
import dev.pixivdic.support.internal.FileTargets;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of JSON lines that this project writes: the NDJSON sink, the resolution
 * file and the page archive's index. One class, so all three behave the same on a crash, a
 * second writer and a foreign file.
 *
 * <ul>
 *   <li><b>One writer.</b> {@link #open} takes the {@link WriterLock} on {@code FILE.lock}
 *       beside the file before it reads or repairs anything, and holds it until {@link #close}.
 *       A second writer fails at once with {@link FileInUseException}, naming the holder that
 *       the lock file records. The lock does not hold across hosts or on network file systems.
 *   <li><b>Only our files.</b> A file that is not empty must begin with a line written by this
 *       project ({@link Format#recognises}); otherwise {@link NotOurFileException} and the file
 *       is not touched (nor is a lock file left beside it). A file whose only content is an
 *       unterminated line counts as ours when that line begins as ours do and is not a whole
 *       JSON object of another kind.
 *   <li><b>Torn tail.</b> A crash in the middle of an append can leave an unterminated last
 *       line, or a last line that does not read back. In a file recognised as ours it is cut off;
 *       the bytes are appended to {@code FILE.torn} first and the repair is logged
 *       ({@link LogFileCheck} does both checks).
 *   <li><b>Appends</b> go to the end of the file, whole, and are forced to disk; a failed append
 *       is cut back. A file found shorter than this log's writes left it (cut in place by
 *       another program) is not written to ({@link FileReplacedException#cutInPlace}); one that
 *       grew (lines another program appended) is, after those lines, unless it now ends in a
 *       line without a line end ({@link FileReplacedException#endsInAPartLine}).
 * </ul>
 *
 * <p>{@link #openReadOnly} does none of the writing: no lock, no repair, no file created. Not
 * thread-safe: the owning sink serialises calls.
 */
final class AppendLog implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(AppendLog.class);
  private static final JsonFactory JSON = new JsonFactory();

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
  private final WriterLock lock; // null when read-only
  private final Object fileKey; // null when read-only
  /** Where {@link #open} made the file (the name followed through links), or null. */
  private final Path made;
  /** The directories {@link #open} made for the file. */
  private final MadeDirectories dirs;
  private long length;
  private boolean closed;

  private AppendLog(Path file, FileChannel channel, WriterLock lock, Object fileKey,
      Path made, MadeDirectories dirs, long length) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.fileKey = fileKey;
    this.made = made;
    this.dirs = dirs;
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
    requireOneName(file, copyAdvice(file));
    Path parent = file.toAbsolutePath().getParent();
    MadeDirectories dirs = parent == null ? MadeDirectories.NONE : MadeDirectories.create(parent);
    WriterLock lock;
    try {
      lock = WriterLock.acquire(file);
    } catch (IOException | RuntimeException e) {
      dirs.removeQuietly(e);
      throw e;
    }
    FileChannel ch = null;
    try {
      // Under the lock: no other writer makes the file in between.
      Path made = Files.exists(file) ? null : FileTargets.target(file);
      try {
        ch = channels.open(file);
      } catch (IOException e) {
        throw LogFileCheck.openRefused(file, format, e);
      }
      long length = LogFileCheck.repair(ch, file, format);
      // Under the lock, so the name still leads to the file just opened.
      Object fileKey = FileReplacedException.keyOf(file);
      return new AppendLog(file, ch, lock, fileKey, made, dirs, length);
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch, e);
      if (e instanceof NotOurFileException || e instanceof AccessDeniedException) {
        // Nothing beside a file the run may not write either.
        lock.abandon(e);
      } else {
        closeQuietly(lock, e);
      }
      // A directory made for a file that could not be opened holds at most that file and its
      // lock file, which are left (and keep it) when they could not be removed.
      dirs.removeQuietly(e);
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
    WriterLock.check(file); // what a run would refuse, a dry run refuses
    if (!Files.exists(file)) {
      return new AppendLog(file, null, null, null, null, MadeDirectories.NONE, 0);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      LogFileCheck.recognise(ch, file, format);
      long complete = LogFileCheck.keptLength(ch, file, format);
      if (complete != ch.size()) {
        LogFileCheck.requireTornFileUsable(file); // where the run would put it
        LOG.info("{}: a torn last line ({} bytes) is ignored; a run that writes will repair it",
            file, ch.size() - complete);
      }
      return new AppendLog(file, null, null, null, null, MadeDirectories.NONE, complete);
    }
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
   * failure the file is cut back to its length before, then the error is thrown. First it
   * checks that neither the lock file nor the file was deleted or replaced since {@link #open},
   * that the file is not shorter than this log's last write (or the repair) left it, and that
   * one grown past it ends in a line end. A file cut and then grown back to that length or past
   * it is not told apart from one that grew.
   *
   * @throws FileReplacedException when one of them was, or the file was cut, or it grew and
   *     ends in a line without a line end; nothing is written
   * @throws IOException when the bytes were not stored
   * @throws IllegalStateException when opened read-only, or closed
   */
  void append(byte[] bytes) throws IOException {
    ensureOpen();
    if (channel == null) {
      throw new IllegalStateException(file + " was opened read-only");
    }
    requireStillOurs();
    long before = channel.size();
    if (before < length) {
      // Cut in place under us (": > FILE", "truncate -s"): rows written are gone, and a batch
      // appended at the new end would hide that. Lines another program appended are kept.
      throw FileReplacedException.cutInPlace(file, length, before);
    }
    if (before > length) {
      // Lines another program appended are kept, but not a line it left unterminated
      // (printf '{"url":...' >> FILE): the batch would be glued to it, its first row unreadable,
      // and the next run would refuse the file at that line. Stopping keeps every row whole; a
      // run started again sets the part line aside as a torn tail, or finds it finished.
      long partLine = LogFileCheck.partLineStart(channel, length, before);
      if (partLine >= 0) {
        throw FileReplacedException.endsInAPartLine(file, length, partLine, before);
      }
    }
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
      IOException named = DiskFull.named(file, e, "nothing of this write was kept (the file was"
          + " cut back to its size before it); what earlier writes stored is whole");
      if (named == e && !(e instanceof FileSystemException) && e.getMessage() != null) {
        // The JDK words a failed write by the system's reason alone ("Operation not permitted"
        // for a file made immutable mid-run), naming no file: named here, the reason kept as
        // the system gave it, so that it is classified as when the file is opened.
        FileSystemException withFile = "Permission denied".equals(e.getMessage())
            ? new AccessDeniedException(file.toString(), null, e.getMessage())
            : new FileSystemException(file.toString(), null, e.getMessage());
        withFile.initCause(e);
        throw withFile;
      }
      throw named;
    }
  }

  private void requireStillOurs() throws IOException {
    lock.requireHeld();
    FileReplacedException.requireSame(file, fileKey);
  }

  private boolean stillOurs() throws IOException {
    try {
      requireStillOurs();
      return true;
    } catch (FileReplacedException e) {
      return false;
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
      if (lock != null) {
        lock.close();
      }
    }
  }

  /**
   * Closes the file, first removing it and its lock file when {@link #open} made them and the
   * file is still empty, then the directories {@link #open} made for them, the deepest first,
   * while they are empty: a run that failed before it wrote anything leaves nothing behind. A
   * file that existed before, or that holds anything, is only closed. Idempotent.
   *
   * @return whether the file was removed
   * @throws IOException when the file or a directory could not be removed, or the file closed
   */
  boolean closeRemovingIfUnwritten() throws IOException {
    if (closed || made == null) {
      close();
      return false;
    }
    closed = true;
    boolean remove = false;
    try {
      // Still holding the lock, so no other writer can be using the file; and only the file
      // this log made, not one put in its place.
      try {
        remove = channel.size() == 0 && stillOurs();
      } finally {
        channel.close();
      }
      if (remove) {
        Files.deleteIfExists(made);
        lock.closeRemovingIfMade();
      }
    } finally {
      lock.close();
    }
    if (remove) {
      dirs.removeIfEmpty();
    }
    return remove;
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

  /**
   * Refuses a file that a writer would open when it has more than one name: the lock lies
   * beside a name, so a run writing another name of the file would not see it, and both would
   * append (two runs through two hard links stored rows twice). For writers and their dry runs;
   * a reader ({@code replay} of an archive) may read a file of many names.
   *
   * @param advice what to do instead, for the message
   * @throws NotOurFileException when the file has more than one name
   */
  static void requireOneName(Path file, String advice) throws IOException {
    if (!Files.isRegularFile(file)) {
      return; // missing, or not a file: what opens it says so (a directory has several links)
    }
    int names = hardLinks(file);
    if (names > 1) {
      throw new NotOurFileException(file, "has " + names + " names (hard links), and a run"
          + " writing it under another name would not see this run's lock", advice);
    }
  }

  /** {@link #requireOneName}'s advice for a file written on its own (a sink). */
  static String copyAdvice(Path file) {
    return "Write to a copy of it (cp " + file + " NEW), or remove its other names";
  }

  /**
   * How many directory entries name the data of {@code file}, a regular file; 1 where the
   * system does not say.
   */
  private static int hardLinks(Path file) throws IOException {
    try {
      return ((Number) Files.getAttribute(file, "unix:nlink")).intValue();
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
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
