package dev.pixivdic.core.file.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link AppendLog} checks when it opens a file: that the file is one this project
 * wrote ({@link #recognise}), and where its whole lines end, cutting a torn tail away when
 * opened for writing ({@link #repair}). Works on an open channel and reads only the first line
 * and the end of the file, whatever its size.
 */
final class LogFileCheck {

  // Logged as the append log it repairs, the name a log configuration knows.
  private static final Logger LOG = LoggerFactory.getLogger(AppendLog.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final int CHUNK = 8192;
  /** How much of the first line is read to recognise a file. */
  static final int FIRST_LINE_LIMIT = 1 << 20;
  /**
   * The longest unterminated tail that can be a torn write: a crash cuts one line short, and no
   * line pixiv writes is longer (a sink's rows are read back up to 16 MiB).
   */
  static final int MAX_TORN = NdjsonRowSink.MAX_LINE;

  private LogFileCheck() {}

  /** Where the bytes of a repaired torn tail are kept: {@code FILE.torn} beside it. */
  static Path tornFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".torn");
  }

  /**
   * Checks that a file that is not empty begins with a line of {@code format}, or, when its only
   * content is an unterminated line, that the line begins as ours do.
   *
   * @throws NotOurFileException when it does not
   */
  static void recognise(FileChannel ch, Path file, AppendLog.Format format) throws IOException {
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
      // A whole JSON object without a line end is another tool's one-line file (an editor
      // drops the last newline), not a torn append: ours are cut before they are whole.
      if (!format.beginsLikeOurs(head)
          || isWholeObject(head) && !format.recognises(head.strip())) {
        // Its content is not shown: a file named by mistake may hold a key or a password.
        throw new NotOurFileException(file, "is not " + format.kind()
            + ": its one line is not one pixiv writes");
      }
      return;
    }
    String first = head.substring(0, nl);
    if (!format.recognises(first)) {
      throw new NotOurFileException(file, "is not " + format.kind()
          + ": its first line is not one pixiv writes");
    }
  }

  /**
   * Recognises the file and cuts off a torn tail: an unterminated last line, or a last line
   * that does not read back. The bytes cut are appended to {@link #tornFile} first, and the
   * repair is logged at WARN.
   *
   * @return the length kept
   * @throws NotOurFileException when the file is not ours; nothing was changed
   */
  static long repair(FileChannel ch, Path file, AppendLog.Format format) throws IOException {
    long size = ch.size();
    if (size == 0) {
      return 0;
    }
    recognise(ch, file, format);
    long end = keptLength(ch, file, format);
    if (end != size) {
      cutTail(ch, file, end);
    }
    return end;
  }

  /**
   * The length of the file without its torn tail (an unterminated last line, or a last line that
   * does not read back): what {@link #repair} keeps. Changes nothing.
   *
   * @throws CorruptSinkException when the unterminated tail cannot be a write that a crash cut
   *     short: longer than any line pixiv writes, holding a carriage return (a file whose lines
   *     end in {@code \r} alone is one such tail), or beginning otherwise than pixiv's lines do
   */
  static long keptLength(FileChannel ch, Path file, AppendLog.Format format) throws IOException {
    long size = ch.size();
    long lastNewline = lastNewlineBefore(ch, size, MAX_TORN + 1L);
    if (lastNewline != size - 1) {
      requireTorn(ch, file, format, lastNewline + 1);
      return lastNewline + 1;
    }
    long start = lastNewlineBefore(ch, size - 1) + 1;
    long len = size - 1 - start;
    if (len > 0 && len < FIRST_LINE_LIMIT && !format.readsBack(read(ch, start, (int) len))) {
      return start;
    }
    return size;
  }

  /**
   * Checks that the unterminated tail from {@code start} can be a torn write of ours: at most
   * {@link #MAX_TORN} bytes, no carriage return, and beginning as our lines do (or all zero
   * bytes, which a power loss can leave where a write was under way).
   */
  private static void requireTorn(FileChannel ch, Path file, AppendLog.Format format, long start)
      throws IOException {
    long size = ch.size();
    if (start < 0) {
      throw damaged(ch, file, "its last " + MAX_TORN + " bytes hold no line end, so the last"
          + " line is longer than any line pixiv writes: not a write that a crash cut short");
    }
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    boolean zeros = true;
    for (long at = start; at < size; at += buf.limit()) {
      buf.clear().limit((int) Math.min(CHUNK, size - at));
      readFully(ch, buf, at);
      for (int i = 0; i < buf.limit(); i++) {
        byte b = buf.get(i);
        if (b == '\r') {
          throw damaged(ch, file, "its last line has no line end and holds a carriage return,"
              + " which no line pixiv writes holds (are its lines ended with \\r alone?)");
        }
        zeros &= b == 0;
      }
    }
    int n = (int) Math.min(size - start, 64);
    String head = read(ch, start, n);
    if (!zeros && !format.beginsLikeOurs(head.replace("\0", ""))) {
      throw damaged(ch, file, "its last line has no line end and does not begin as pixiv's lines"
          + " do: not a write that a crash cut short");
    }
  }

  /** The damage, at the file's last line (the one without a line end). */
  private static CorruptSinkException damaged(FileChannel ch, Path file, String why)
      throws IOException {
    long lines = 1;
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    long size = ch.size();
    for (long at = 0; at < size; at += buf.limit()) {
      buf.clear().limit((int) Math.min(CHUNK, size - at));
      readFully(ch, buf, at);
      for (int i = 0; i < buf.limit(); i++) {
        if (buf.get(i) == '\n') {
          lines++;
        }
      }
    }
    return new CorruptSinkException(file, lines, why, null);
  }

  /**
   * Refuses a {@code FILE.torn} that is a symbolic link or not a regular file: the repair would
   * write where it must not. A dry run that leaves a torn tail out checks it as the run would.
   *
   * @throws NotOurFileException when it is one
   */
  static void requireTornFileUsable(Path file) throws IOException {
    Path torn = tornFile(file);
    if (Files.isSymbolicLink(torn)
        || Files.exists(torn, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(torn,
            LinkOption.NOFOLLOW_LINKS)) {
      throw new NotOurFileException(torn, "is a symbolic link or not a regular file, where the"
          + " torn tail of " + file + " goes");
    }
  }

  private static void cutTail(FileChannel ch, Path file, long end) throws IOException {
    long size = ch.size();
    Path torn = tornFile(file);
    requireTornFileUsable(file);
    boolean existed = Files.exists(torn, LinkOption.NOFOLLOW_LINKS);
    long before = existed ? Files.size(torn) : 0;
    // Copied channel to channel: a torn tail may be tens of megabytes (a power loss mid-write),
    // more than a pod's heap.
    try (FileChannel out = FileChannel.open(torn, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)) {
      try {
        long at = end;
        while (at < size) {
          long n = ch.transferTo(at, size - at, out);
          if (n <= 0) {
            throw new IOException(file + ": could not copy its torn tail to " + torn);
          }
          at += n;
        }
        out.write(ByteBuffer.wrap(new byte[] {'\n'}));
        out.force(true);
      } catch (IOException e) {
        undoTornCopy(out, before, e);
        throw e;
      }
    } catch (IOException e) {
      if (!existed) {
        try {
          Files.deleteIfExists(torn);
        } catch (IOException gone) {
          e.addSuppressed(gone);
        }
      }
      // The JDK names the file in an error of its own (a FileSystemException); not in ENOSPC.
      throw e instanceof FileSystemException ? e : notSaved(file, size - end, e);
    }
    ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size - end, 256));
    readFully(ch, tail, end);
    tail.flip();
    String text = StandardCharsets.UTF_8.decode(tail).toString();
    LOG.warn("{}: repaired a torn last line left by an interrupted write: removed {} bytes"
        + " ('{}'), kept in {}", file, size - end, Preview.of(text), torn);
    try {
      ch.truncate(end);
      ch.force(true);
    } catch (IOException e) {
      throw notCut(file, size - end, end, e);
    }
  }

  /** Cuts {@code FILE.torn} back to what it held before a copy into it failed. */
  private static void undoTornCopy(FileChannel out, long before, IOException e) {
    try {
      out.truncate(before);
    } catch (IOException undo) {
      e.addSuppressed(undo);
    }
  }

  /**
   * The failure to keep a torn tail in {@code FILE.torn}, naming both files: a full disk was
   * said as the system's bare "No space left on device". The file is left as it was (the tail is
   * cut only once it is kept), and so is {@code FILE.torn}: one the copy made is removed again.
   */
  private static IOException notSaved(Path file, long torn, IOException e) {
    String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
        : String.valueOf(e.getMessage());
    return new IOException(file + ": its last line is torn (" + torn + " bytes left by an"
        + " interrupted write), and keeping those bytes in " + tornFile(file) + " failed"
        + (DiskFull.is(e) ? ", the disk is full" : "") + " (" + reason + "); neither file was"
        + " changed" + (DiskFull.is(e) ? ". Free space on its volume and run again" : ""), e);
  }

  /**
   * The failure to cut a torn tail off, saying what the file is, what was tried and what to do:
   * the system's words alone ("Operation not permitted", for an append-only file) named neither
   * the file nor the repair. A refusal by the file's attribute stays one (exit 2: a retry meets
   * it again).
   */
  private static IOException notCut(Path file, long torn, long end, IOException e) {
    String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
        : String.valueOf(e.getMessage());
    Optional<Attribute> attribute = forbiddingAttribute(file);
    String why = "its last line is torn (" + torn + " bytes left by an interrupted write, kept"
        + " in " + tornFile(file) + "), and cutting it off failed: " + reason
        + attribute.map(a -> ". An " + a.what + " file cannot be cut; lsattr " + file
            + " shows it. Remove the attribute (chattr -" + a.flag + " " + file + ") and run"
            + " again, or cut the line off yourself (truncate -s " + end + " " + file + ")")
            .orElse("");
    IOException out = attribute.isPresent() ? new AccessDeniedException(file.toString(), null, why)
        : new IOException(file + ": " + why);
    out.initCause(e);
    return out;
  }

  /**
   * The failure to open a file of ours for writing that the system refuses for an attribute of
   * the file (append-only or immutable), saying why the sink needs to write anywhere in it and
   * what to do; any other failure as it is.
   */
  static IOException openRefused(Path file, AppendLog.Format format, IOException e) {
    // The JDK gives EPERM as a plain FileSystemException; EACCES, ENOENT and the like have
    // classes of their own.
    if (e.getClass() != FileSystemException.class) {
      return e;
    }
    Optional<Attribute> attribute = forbiddingAttribute(file);
    if (attribute.isEmpty()) {
      return e;
    }
    String torn = "";
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long end = size == 0 ? 0 : keptLength(ch, file, format);
      if (end != size) {
        torn = " Its last line is torn (" + (size - end) + " bytes left by an interrupted"
            + " write), and the run must cut it off before it appends.";
      }
    } catch (IOException | RuntimeException unread) {
      e.addSuppressed(unread);
    }
    Attribute a = attribute.get();
    IOException out = new AccessDeniedException(file.toString(), null, "cannot be opened for"
        + " writing: " + ((FileSystemException) e).getReason() + ". The sink opens its file to"
        + " append and to cut what a crash or a failed write left at its end, which an " + a.what
        + " file forbids; lsattr " + file + " shows it." + torn + " Remove the attribute (chattr -"
        + a.flag + " " + file + ") and run again.");
    out.initCause(e);
    return out;
  }

  /** A file attribute that forbids what a writer of the file needs. */
  enum Attribute {
    APPEND_ONLY('a', "append-only (chattr +a)"),
    IMMUTABLE('i', "immutable (chattr +i)");

    final char flag;
    /** What the file is, after "an". */
    final String what;

    Attribute(char flag, String what) {
      this.flag = flag;
      this.what = what;
    }
  }

  /**
   * The attribute of {@code file} that forbids writing it anywhere but at its end (append-only)
   * or at all (immutable), if one does, on a file system that can be written. Asked of the system
   * (whether it lets the file be written: access(2), then opening it, which changes nothing),
   * never read from the words of a failure, which follow the system's language.
   */
  static Optional<Attribute> forbiddingAttribute(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.getFileStore(file).isReadOnly()) {
        return Optional.empty();
      }
      if (!Files.isWritable(file)) {
        // Refused although the permission bits let this process write it: immutable. Otherwise
        // the bits may be why (a file of mode 0444, another user's), which no attribute explains.
        return modeLetsWrite(Files.readAttributes(file, PosixFileAttributes.class),
            System.getProperty("user.name"), "root".equals(System.getProperty("user.name")))
            ? Optional.of(Attribute.IMMUTABLE) : Optional.empty();
      }
      return !opens(file, StandardOpenOption.WRITE)
          && opens(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
          ? Optional.of(Attribute.APPEND_ONLY) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the permission bits of a file ({@code attrs}) let {@code user} write it: always for
   * root, whom they do not bind; for its owner, by the owner's write bit; for anyone else, when
   * both the group's and the others' bits grant it (whichever of them applies).
   */
  static boolean modeLetsWrite(PosixFileAttributes attrs, String user, boolean root) {
    if (root) {
      return true;
    }
    Set<PosixFilePermission> mode = attrs.permissions();
    if (attrs.owner().getName().equals(user)) {
      return mode.contains(PosixFilePermission.OWNER_WRITE);
    }
    return mode.contains(PosixFilePermission.GROUP_WRITE)
        && mode.contains(PosixFilePermission.OTHERS_WRITE);
  }

  /** Whether {@code file} opens with {@code options}; it is closed at once, unchanged. */
  private static boolean opens(Path file, StandardOpenOption... options) {
    try {
      FileChannel.open(file, options).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code text} is one complete JSON object, and nothing after it but blanks. */
  private static boolean isWholeObject(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Where the line that the file's first {@code end} bytes end in without a line end begins,
   * looking back no further than {@code from}; -1 when byte {@code end - 1} is a line end.
   * Reads the bytes between {@code from} and {@code end} at most.
   *
   * @param from where a line is known to begin, less than {@code end}
   */
  static long partLineStart(FileChannel ch, long from, long end) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    readFully(ch, last, end - 1);
    if (last.get(0) == '\n') {
      return -1;
    }
    long newline = lastNewlineBefore(ch, end - 1, end - 1 - from);
    return newline >= from ? newline + 1 : from;
  }

  /** The position of the last '\n' before {@code end}, or -1. */
  private static long lastNewlineBefore(FileChannel ch, long end) throws IOException {
    return lastNewlineBefore(ch, end, Long.MAX_VALUE);
  }

  /**
   * The position of the last '\n' before {@code end}, looking at most {@code within} bytes back:
   * -1 when the file has none, -2 when the bytes looked at have none.
   */
  private static long lastNewlineBefore(FileChannel ch, long end, long within)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    long pos = end;
    long stop = Math.max(0, end - within);
    while (pos > stop) {
      int n = (int) Math.min(CHUNK, pos - stop);
      pos -= n;
      buf.clear().limit(n);
      readFully(ch, buf, pos);
      for (int i = n - 1; i >= 0; i--) {
        if (buf.get(i) == '\n') {
          return pos + i;
        }
      }
    }
    return stop > 0 ? -2 : -1;
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
}
