package dev.pixivdic.core.file.internal;

import dev.pixivdic.support.internal.FileTargets;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The one-writer lock of an {@link AppendLog}: an exclusive {@code fcntl} lock on
 * {@code FILE.lock} beside the file, a file that nothing else in the process opens (on Linux,
 * closing any descriptor of a locked file drops the process's lock, so the data file itself is
 * not used), plus a process-wide set of held files against a second writer in the same JVM. The
 * lock file records who holds it, for a second writer's message. It lies beside the file a
 * path leads to through symbolic links, so every such name of the file shares it; hard links do
 * not, so {@link AppendLog} refuses a file that has more than one. The lock does not hold
 * across hosts or on network file systems.
 */
final class WriterLock implements Closeable {

  /** Files locked by this process, against a second writer in the same JVM. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  /** What {@link #keyOrNoFile} gives when no file has the name. */
  private static final Object NO_FILE = new Object();

  private final Path lockFile;
  private final boolean createdLockFile;
  private final FileChannel channel;
  private final FileLock lock;
  private final Path key;
  private final Object lockFileKey;
  private boolean released;

  private WriterLock(Path lockFile, boolean createdLockFile, FileChannel channel, FileLock lock,
      Path key, Object lockFileKey) {
    this.lockFile = lockFile;
    this.createdLockFile = createdLockFile;
    this.channel = channel;
    this.lock = lock;
    this.key = key;
    this.lockFileKey = lockFileKey;
  }

  /** The lock file of {@code file}: {@code FILE.lock} beside it. */
  static Path lockFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  /**
   * Takes the writer's lock of {@code file} (whose directory exists), without waiting.
   *
   * @throws FileInUseException when another writer, in this process or another, holds it
   */
  static WriterLock acquire(Path file) throws IOException {
    Path key = FileTargets.target(file);
    if (!HELD.add(key)) {
      throw new FileInUseException(file, "by this process");
    }
    FileChannel channel = null;
    // Beside the file the name leads to, so that every name of it (a symbolic link to the file
    // or to its directory) takes the one lock.
    Path lockFile = lockFile(key);
    boolean existed = Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS);
    try {
      refuseForeign(lockFile, file);
      // Not through a symbolic link planted since: the lock's record would overwrite its target.
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      // The lock file as opened, read before the lock is taken: a run that ends removes the
      // lock file it made, so the one opened may have no name by the time it is locked.
      Object opened = keyOrNoFile(lockFile);
      FileLock lock;
      try (Starting starting = Starting.await(channel, file)) {
        lock = tryLock(channel);
        if (lock == null) {
          throw new FileInUseException(file, starting.holder(channel));
        }
        afterLocking.run();
        if (opened == NO_FILE || opened != null && !opened.equals(keyOrNoFile(lockFile))) {
          // Locked a lock file another run removed as it ended (and perhaps another made anew):
          // a lock on it would exclude no one.
          throw new FileInUseException(file, "another run was taking or leaving its lock file;"
              + " try again");
        }
        // Before the start-up lock goes: a run refused from now on reads this record.
        recordHolder(channel);
      }
      return new WriterLock(lockFile, !existed, channel, lock, key, opened);
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof IOException io) {
        // The JDK's "No space left on device" names no file.
        throw DiskFull.named(lockFile, io, "no lock was taken and nothing was written");
      }
      throw e;
    }
  }

  /**
   * Refuses a lock file that is not one this class writes: a symbolic link (writing the holder
   * through it would overwrite whatever it points at), something other than a regular file, or
   * a file that does not begin as a record of a holder does. It is left untouched.
   */
  private static void refuseForeign(Path lockFile, Path file) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(lockFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    String where = ", where the writer lock of " + file + " goes";
    if (a.isSymbolicLink()) {
      throw new NotOurFileException(lockFile, "is a symbolic link" + where);
    }
    if (!a.isRegularFile()) {
      throw new NotOurFileException(lockFile, "is not a regular file" + where);
    }
    // Empty, it holds nothing to lose (a run stopped between making it and writing its record).
    if (a.size() > 0) {
      byte[] head = new byte[MAX_RECORD + 1];
      int n;
      try (InputStream in = Files.newInputStream(lockFile, LinkOption.NOFOLLOW_LINKS)) {
        n = in.readNBytes(head, 0, head.length);
      }
      if (n > MAX_RECORD
          || !RECORD.matcher(new String(head, 0, n, StandardCharsets.UTF_8)).matches()) {
        throw new NotOurFileException(lockFile, "does not hold a writer lock of pixiv" + where);
      }
    }
  }

  /**
   * Refuses what {@link #acquire} would refuse of the lock file, taking nothing and changing
   * nothing: for a dry run, which takes no lock but should stop where the run would.
   *
   * @throws NotOurFileException when the lock file is a link, not a regular file or not ours
   * @throws IOException when its name cannot be used (too long, say)
   */
  static void check(Path file) throws IOException {
    refuseForeign(lockFile(FileTargets.target(file)), file);
  }

  /**
   * Refuses, as {@link #acquire} would, a file whose lock another writer holds now, taking no
   * lock and creating nothing: for a run that must stop before it makes anything (a new, empty
   * sink) when a file it would write later is in use. A writer that takes the lock after this
   * check is still refused by {@link #acquire}.
   *
   * @throws FileInUseException when another writer, in this process or another, holds it
   * @throws NotOurFileException when the lock file is a link, not a regular file or not ours
   */
  static void requireFree(Path file) throws IOException {
    Path key = FileTargets.target(file);
    if (HELD.contains(key)) {
      // Not probed: closing a second channel of the file would drop this process's own lock.
      throw new FileInUseException(file, "by this process");
    }
    Path lockFile = lockFile(key);
    refuseForeign(lockFile, file);
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    try (channel; Starting starting = Starting.await(channel, file)) {
      FileLock lock = tryLock(channel);
      if (lock == null) {
        throw new FileInUseException(file, starting.holder(channel));
      }
      lock.release();
    }
  }

  /**
   * Checks that {@code FILE.lock} is still the file this lock holds. A lock file deleted or
   * replaced while the run holds it lets a second run take a lock of its own on the new one and
   * write the same file, so a writer checks before each write and stops if it was.
   *
   * @throws FileReplacedException when the lock file is gone or another file
   */
  void requireHeld() throws IOException {
    FileReplacedException.requireSame(lockFile, lockFileKey, LinkOption.NOFOLLOW_LINKS);
  }

  /** How the record of a holder begins. */
  private static final String HOLDER_PREFIX = "pid ";
  /** The record {@link #recordHolder} writes, the only content of a lock file of ours. */
  private static final Pattern RECORD = Pattern.compile(Pattern.quote(HOLDER_PREFIX)
      + "[1-9]\\d{0,18}( on [^\\n]*)?, since [^\\n]* \\([^\\n]*\\)\\n?");
  private static final int MAX_RECORD = 1024;

  /** Releases the lock. Idempotent. */
  @Override
  public void close() throws IOException {
    if (released) {
      return;
    }
    released = true;
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
      HELD.remove(key);
    }
  }

  /**
   * Releases the lock after the file turned out not to be ours, deleting the lock file if
   * {@link #acquire} made it, so that nothing is left beside a foreign file. Failures are added
   * to {@code failure}.
   */
  void abandon(Exception failure) {
    try {
      closeRemovingIfMade();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Releases the lock, deleting the lock file first if {@link #acquire} made it (and it is still
   * the one this lock holds). Idempotent.
   *
   * @throws IOException when the lock file could not be deleted (the lock is released all the
   *     same) or the lock not released
   */
  void closeRemovingIfMade() throws IOException {
    try {
      if (createdLockFile && !released) {
        // Still holding the lock: no other run can be using the file we made.
        requireHeld();
        Files.deleteIfExists(lockFile);
      }
    } catch (FileReplacedException e) {
      // Someone else's now: left as it is.
    } finally {
      close();
    }
  }

  /**
   * The lock file's identity ({@link FileReplacedException#keyOf}; null where the file system
   * has none), or {@link #NO_FILE} when nothing has its name.
   */
  private static Object keyOrNoFile(Path lockFile) throws IOException {
    try {
      return FileReplacedException.keyOf(lockFile, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return NO_FILE;
    }
  }

  /**
   * The writer's lock: every byte of the lock file but the last one a {@code long} can address,
   * which is the start-up lock's ({@link Starting}). A whole-file lock overlaps both.
   */
  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock(0, Starting.POSITION, false);
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /** Called once the writer's lock is taken, before its holder is recorded: a test's seam. */
  static volatile Runnable afterLocking = () -> { };

  /** Writes who holds the lock into the lock file, for a second run's message. */
  private static void recordHolder(FileChannel lockChannel) throws IOException {
    String host = System.getenv().getOrDefault("HOSTNAME", "");
    String who = HOLDER_PREFIX + ProcessHandle.current().pid()
        + (host.isEmpty() ? "" : " on " + host) + ", since " + Instant.now() + " ("
        + ManagementFactory.getRuntimeMXBean().getName() + ")\n";
    lockChannel.truncate(0);
    lockChannel.write(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
  }

  /**
   * Who holds the lock, for a run it refuses: read under the start-up lock, so the record is
   * the holder's own and whole (it wrote it before it let the start-up lock go).
   */
  private static String holder(FileChannel lockChannel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(256);
      lockChannel.read(buf, 0);
      String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? STILL_STARTING : "held by " + Preview.of(s);
    } catch (IOException e) {
      return "held by a run whose record could not be read: " + e.getMessage();
    }
  }

  /** What a refused run says when the holder has not said who it is (a run stopped then). */
  static final String STILL_STARTING = "held by a run that is still starting and has not yet"
      + " written who it is";
  /**
   * The start-up lock: the last byte a {@code long} addresses in the lock file, held by a run
   * from before it tries the writer's lock until it has recorded itself as the holder. A run
   * refused the writer's lock reads the record while it holds this one, so it never reads it
   * before the holder wrote it (two runs started together), nor the record an earlier holder
   * left. Waited for on the lock itself, at most {@link #WAIT}: a run stopped while it starts
   * (SIGSTOP) keeps it; the waiting run then goes on without it, and if refused says that the
   * holder is still starting.
   */
  static final class Starting implements AutoCloseable {
    static final long POSITION = Long.MAX_VALUE - 1;
    static final Duration WAIT = Duration.ofSeconds(10);

    /** Called when another run holds the start-up lock, before waiting for it: a test's seam. */
    static volatile Runnable awaiting = () -> { };

    private final FileLock lock;

    private Starting(FileLock lock) {
      this.lock = lock;
    }

    /**
     * Takes the start-up lock of {@code channel}'s lock file, waiting for the run that holds it.
     *
     * @throws FileInUseException when another writer in this process is taking it
     */
    static Starting await(FileChannel channel, Path file) throws IOException {
      FileLock free;
      try {
        free = channel.tryLock(POSITION, 1, false);
      } catch (OverlappingFileLockException e) {
        throw new FileInUseException(file, "by this process");
      }
      if (free != null) {
        return new Starting(free);
      }
      awaiting.run();
      CompletableFuture<FileLock> taking = new CompletableFuture<>();
      Thread waiter = new Thread(() -> {
        try {
          taking.complete(channel.lock(POSITION, 1, false));
        } catch (IOException | RuntimeException e) {
          taking.completeExceptionally(e);
        }
      }, "pixiv-lock-start");
      waiter.setDaemon(true);
      waiter.start();
      try {
        return new Starting(taking.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      } catch (TimeoutException e) {
        return abandon(taking);
      } catch (InterruptedException e) {
        abandon(taking);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for the lock of " + file);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof OverlappingFileLockException) {
          throw new FileInUseException(file, "by this process");
        }
        throw e.getCause() instanceof IOException io ? io
            : new IOException("cannot lock " + file + ": " + e.getCause(), e.getCause());
      }
    }

    /** Goes on without the lock; let go of it should the waiter get it after all. */
    private static Starting abandon(CompletableFuture<FileLock> taking) {
      taking.thenAccept(l -> {
        try {
          l.release();
        } catch (IOException ignored) {
          // the channel is closed, which let it go
        }
      });
      return new Starting(null);
    }

    /** Who holds the writer's lock, as its record says once read under this lock. */
    String holder(FileChannel channel) {
      return WriterLock.holder(channel);
    }

    @Override
    public void close() throws IOException {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
    }
  }
}
