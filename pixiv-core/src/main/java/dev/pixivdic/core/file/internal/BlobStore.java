package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hashing;
import com.google.common.io.ByteStreams;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page bodies of a {@link PageArchive}: {@code objects/ab/<sha256>.gz} under the archive
 * directory, each body gzip-compressed and named by the SHA-256 (hex) of its uncompressed bytes,
 * {@code ab} being the hash's first two digits, so identical bodies are stored once. A blob is
 * written to a temporary file, forced to disk, then moved into place atomically. A whole blob is
 * never rewritten; one found damaged where a body is stored (cut short, not gzip, another page's
 * bytes) is replaced the same way, so an archive that says it holds a page can give it back.
 * Knows nothing of URLs or the index.
 *
 * <p>Thread-safe: two writers of the same body both end with the one blob.
 */
final class BlobStore {

  /**
   * The largest body stored or read, in bytes: four times the parser's limit, eight times the
   * fetcher's default cap. A blob that inflates to more (a gzip bomb) is refused, not held.
   */
  static final int MAX_BODY = 64 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(BlobStore.class);

  private final Path objects;

  private BlobStore(Path objects) {
    this.objects = objects;
  }

  /**
   * Creates the {@code objects} directory (and its parents) if needed.
   *
   * @return the directories made
   */
  MadeDirectories create() throws IOException {
    return MadeDirectories.create(objects);
  }

  /**
   * The blobs under {@code dir}, which may not exist (reading finds no blob then).
   *
   * @throws NotOurFileException when {@code dir/objects} is there but is not a directory (or a
   *     link to one), or one of its two-digit subdirectories is not: every page would fail to
   *     read or be stored, each as if the disk had failed
   */
  static BlobStore existing(Path dir) throws IOException {
    Path objects = dir.resolve("objects");
    if (Files.isSymbolicLink(objects) && !Files.exists(objects)) {
      throw new NotOurFileException(objects, "is a symbolic link that leads nowhere ("
          + Files.readSymbolicLink(objects) + "), so " + dir + " cannot keep its pages there;"
          + " make the directory it leads to, or remove the link");
    }
    if (Files.exists(objects) && !Files.isDirectory(objects)) {
      throw new NotOurFileException(objects, "is not a directory, so " + dir
          + " is not a page archive (its pages are kept in objects/)");
    }
    if (Files.isDirectory(objects)) {
      try (DirectoryStream<Path> shelves = Files.newDirectoryStream(objects,
          p -> SHELF.matcher(p.getFileName().toString()).matches())) {
        for (Path shelf : shelves) {
          requireShelf(shelf);
        }
      }
    }
    return new BlobStore(objects);
  }

  /** A directory of blobs whose names start with its two hex digits. */
  private static final Pattern SHELF = Pattern.compile("[0-9a-f]{2}");

  private static void requireShelf(Path shelf) throws NotOurFileException {
    if (Files.exists(shelf, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(shelf)) {
      throw new NotOurFileException(shelf, "is not a directory, where the archive keeps the"
          + " pages whose hash begins with " + shelf.getFileName());
    }
  }

  /** The name of a body: its SHA-256, 64 lower-case hex digits. */
  static String sha256(byte[] body) {
    return Hashing.sha256().hashBytes(body).toString();
  }

  private static boolean isSha256(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code s} when it is a SHA-256 as blobs are named.
   *
   * @throws IllegalArgumentException when it is not 64 lower-case hex digits
   */
  static String requireSha256(String s) {
    if (!isSha256(requireNonNull(s, "sha256"))) {
      throw new IllegalArgumentException(
          "sha256 must be 64 lower-case hex digits, was '" + s + "'");
    }
    return s;
  }

  /** The stored form of a body. In memory, so it cannot fail. */
  static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory compression cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Whether a body with this hash is stored; false for anything that is not a hash. */
  boolean contains(String sha256) {
    return isSha256(requireNonNull(sha256, "sha256")) && Files.exists(path(sha256));
  }

  /**
   * Whether the blob of {@code body} is stored whole. A blob at its address that does not give
   * {@code body} back is logged and taken as missing, so that {@link #store} replaces it.
   *
   * @param sha256 the SHA-256 of {@code body}
   * @throws NotOurFileException when something other than a file is at the blob's address (a
   *     directory, a pipe): it is not the archive's to replace
   * @throws IOException when the blob is there but cannot be read
   */
  boolean holds(String sha256, byte[] body) throws IOException {
    Path blob = path(requireSha256(sha256));
    if (!Files.exists(blob)) {
      return false;
    }
    requireFile(blob);
    // The file's own stream is a resource of its own: a file that is not gzip fails in the
    // GZIPInputStream's constructor, which would leave it open.
    try (InputStream raw = Files.newInputStream(blob); InputStream in = new GZIPInputStream(raw)) {
      if (givesBack(in, body)) {
        return true;
      }
      log.warn("{} is not the page it is named for; it is stored again", blob);
    } catch (ZipException | EOFException e) {
      log.warn("{} is not a whole gzip file ({}); the page is stored again", blob, why(e));
    }
    return false;
  }

  /**
   * Whether {@code in} gives exactly {@code body} and ends, read in pieces (a page may be 64 MiB).
   * Its end is read too: that is where gzip checks its CRC.
   */
  private static boolean givesBack(InputStream in, byte[] body) throws IOException {
    byte[] piece = new byte[64 * 1024];
    int at = 0;
    while (true) {
      int n = in.read(piece, 0, Math.min(piece.length, body.length - at + 1));
      if (n < 0) {
        return at == body.length;
      }
      if (n > body.length - at || !Arrays.equals(piece, 0, n, body, at, at + n)) {
        return false;
      }
      at += n;
    }
  }

  /** What is wrong with a gzip stream: an empty or cut short one says nothing ("null"). */
  private static String why(IOException e) {
    return e.getMessage() != null ? e.getMessage() : "it ends early";
  }

  private static void requireFile(Path blob) throws NotOurFileException {
    if (!Files.isRegularFile(blob)) {
      throw new NotOurFileException(blob, "is not a file, where the archive keeps the page whose"
          + " SHA-256 it is named for", "Remove it, and the next run that fetches that page"
          + " stores it there");
    }
  }

  /**
   * Stores {@code compressed} (from {@link #gzip}) as the blob {@code sha256}, replacing what is
   * at its address (call it when {@link #holds} said no); it is on disk when this returns.
   */
  void store(String sha256, byte[] compressed) throws IOException {
    Path blob = path(sha256);
    if (Files.exists(blob)) {
      requireFile(blob);
    }
    requireShelf(blob.getParent());
    Files.createDirectories(blob.getParent());
    Path tmp = blob.resolveSibling(
        "." + blob.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
            + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(compressed);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      // Over a damaged blob, or one another writer of the same body stored first (the same
      // bytes): a reader sees the old file or the new one, never a part.
      Files.move(tmp, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw DiskFull.named(blob, e, "the page was not archived");
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The body whose SHA-256 is {@code sha256}, decompressed and checked against its name.
   *
   * @throws IllegalArgumentException when {@code sha256} is not 64 lower-case hex digits
   * @throws NoSuchFileException when the blob is missing
   * @throws CorruptArchiveException when the blob does not match its hash, is not gzip, or is
   *     not a file (a directory)
   */
  byte[] read(String sha256) throws IOException {
    Path blob = path(requireSha256(sha256));
    if (Files.exists(blob) && !Files.isRegularFile(blob)) {
      // Read, a directory failed with "Is a directory", naming no path; a pipe would block.
      throw new CorruptArchiveException(blob, "is not a file", null);
    }
    byte[] body;
    try (InputStream raw = Files.newInputStream(blob)) {
      body = inflate(raw, blob, MAX_BODY);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(blob.toString(), null, "the archived page is missing");
    }
    if (body.length > MAX_BODY) {
      throw new CorruptArchiveException(blob, "inflates to more than " + MAX_BODY
          + " bytes, more than any page the archive stores", null);
    }
    requireHash(blob, body, sha256);
    return body;
  }

  /**
   * The body a blob's bytes {@code stored} give, inflated: at most {@code max} bytes and one
   * more, which shows that it holds more (inflated whole, a gzip bomb ran a replay out of
   * memory). Does not close {@code stored}.
   *
   * @throws CorruptArchiveException naming {@code blob} when the bytes are not whole gzip
   */
  static byte[] inflate(InputStream stored, Path blob, int max) throws IOException {
    try (InputStream in = new GZIPInputStream(new NotClosed(stored))) {
      return ByteStreams.limit(in, max + 1L).readAllBytes();
    } catch (ZipException | EOFException e) {
      throw new CorruptArchiveException(blob, "not a whole gzip file: " + why(e), e);
    }
  }

  /**
   * Refuses a body that is not the one {@code sha256} names.
   *
   * @throws CorruptArchiveException naming {@code blob} and both hashes
   */
  static void requireHash(Path blob, byte[] body, String sha256) throws CorruptArchiveException {
    String actual = sha256(body);
    if (!actual.equals(sha256)) {
      throw new CorruptArchiveException(blob, "content hash is " + actual + ", not " + sha256,
          null);
    }
  }

  /** A stream whose {@code close} leaves the stream under it open. */
  private static final class NotClosed extends java.io.FilterInputStream {
    NotClosed(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // The caller's to close.
    }
  }

  private Path path(String sha) {
    return objects.resolve(sha.substring(0, 2)).resolve(sha + ".gz");
  }
}
