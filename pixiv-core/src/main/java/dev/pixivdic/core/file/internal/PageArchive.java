package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The raw archive of fetched pages, so that a parser fix can be replayed over old pages
 * without fetching them again.
 *
 * <p>Layout under the archive directory:
 *
 * <ul>
 *   <li>{@code objects/ab/<sha256>.gz}: a page body, gzip-compressed, named by the SHA-256 (hex)
 *       of the uncompressed body, {@code ab} being its first two digits. Identical bodies are
 *       stored once. A blob is written to a temporary file, forced to disk, then moved into place
 *       atomically; a whole blob is never rewritten, a damaged one is replaced when its page is
 *       stored again.
 *   <li>{@code index.ndjson}: one line per fetch, appended and forced to disk after the blob:
 *       {@code {"url":..., "http_status":200, "content_type":..., "fetched_at":"<ISO-8601>",
 *       "sha256":...}}, with {@code "final_url"} and {@code "redirects"} when the site served
 *       the page from another URL, and {@code "attributes"} when the item had pass-through
 *       columns ({@link ArchiveEntryCodec}). It is written like an NDJSON sink
 *       ({@link NdjsonRowSink}): one writer at a time, only a file that is an archive index, a
 *       torn last line left by a crash cut away (its bytes kept in {@code index.ndjson.torn})
 *       when the archive is opened for writing.
 * </ul>
 *
 * <p>An archive opened with {@link #open} is locked against other writers; one opened with
 * {@link #openReadOnly} takes no lock, can be read while a run appends, and ignores an
 * incomplete last index line. Thread-safe: {@link #put} may be called from several threads.
 *
 * <p>This class keeps the two in step (a blob before its index line, one writer, open or
 * closed); the blobs are a {@link BlobStore}, the index an {@link ArchiveIndex} whose lines
 * {@link ArchiveEntryCodec} writes and reads.
 */
public final class PageArchive implements Closeable {

  /**
   * One fetch recorded in the index.
   *
   * @param url the canonical article URL
   * @param httpStatus the HTTP status of the response
   * @param contentType the response's {@code Content-Type}, or null when it had none
   * @param fetchedAt when the page was fetched
   * @param sha256 the SHA-256 of the body, 64 lower-case hex digits: the blob's name
   * @param attributes the item's pass-through columns ({@code middle_class_ip_name}), which a
   *     replay gives the row again; empty in archives written before they were kept; copied
   * @param finalUrl where the site served the page from, in the site form, when it redirected
   *     {@code url} elsewhere ({@link FetchResponse#finalUri()}); null when the page is
   *     {@code url}'s own, and in archives written before it was kept
   * @param redirects the statuses of the redirects to {@code finalUrl}, in order (301, 302...),
   *     which tell whether the move was permanent ({@link FetchResponse#permanentRedirect()});
   *     empty when {@code finalUrl} is null or the fetcher did not tell them; copied
   */
  public record Entry(ArticleUrl url, int httpStatus, String contentType, Instant fetchedAt,
      String sha256, Map<String, String> attributes, URI finalUrl, List<Integer> redirects) {
    public Entry {
      requireNonNull(url, "url");
      attributes = new WorkItem(url, requireNonNull(attributes, "attributes")).attributes();
      requireNonNull(fetchedAt, "fetchedAt");
      requireNonNull(sha256, "sha256");
      redirects = List.copyOf(requireNonNull(redirects, "redirects"));
      if (httpStatus < 100 || httpStatus > 599) {
        throw new IllegalArgumentException("httpStatus must be in [100, 599], was " + httpStatus);
      }
      BlobStore.requireSha256(sha256);
      if (!redirects.stream().allMatch(FetchResponse::isRedirect)) {
        throw new IllegalArgumentException("redirects must be redirect statuses, was "
            + redirects);
      }
      if (finalUrl == null && !redirects.isEmpty()) {
        throw new IllegalArgumentException("redirects " + redirects + " without a finalUrl");
      }
    }

    /** An entry of a page served for its own URL. */
    public Entry(ArticleUrl url, int httpStatus, String contentType, Instant fetchedAt,
        String sha256, Map<String, String> attributes) {
      this(url, httpStatus, contentType, fetchedAt, sha256, attributes, null, List.of());
    }

    /** An entry without pass-through columns, of a page served for its own URL. */
    public Entry(ArticleUrl url, int httpStatus, String contentType, Instant fetchedAt,
        String sha256) {
      this(url, httpStatus, contentType, fetchedAt, sha256, Map.of());
    }

    /** This entry with {@code attributes} as its pass-through columns. */
    Entry withAttributes(Map<String, String> attributes) {
      return new Entry(url, httpStatus, contentType, fetchedAt, sha256, attributes, finalUrl,
          redirects);
    }

    /**
     * The fetch as the scrape saw it, with {@code body}: from {@code url}, answered from
     * {@code finalUrl} (else {@code url}) through {@code redirects}; one attempt, no time.
     */
    public FetchResponse response(byte[] body) {
      URI asked = url.uri();
      return new FetchResponse(asked, finalUrl == null ? asked : finalUrl, redirects,
          httpStatus, contentType, body, 1, Duration.ZERO);
    }

    /**
     * Whether this fetch got a page of the site, one a parser can read an outcome from: a 2xx
     * answer with a body, or a 404 or 410 (the article does not exist). A server error that
     * outlived the retries, a 403 or 429 (blocked), another 4xx, or an empty body is a fetch
     * that failed, which a scrape stored no row for.
     */
    public boolean isPage() {
      return httpStatus / 100 == 2 && !sha256.equals(EMPTY_SHA256)
          || httpStatus == 404 || httpStatus == 410;
    }
  }

  /** The SHA-256 of no bytes: an empty body. */
  static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final Path dir;
  private final BlobStore blobs;
  private final ArchiveIndex index;
  private final boolean writable;
  /** The {@code objects} directory, when {@link #open} made it. */
  private final MadeDirectories madeObjects;
  private boolean closed;

  private PageArchive(Path dir, BlobStore blobs, ArchiveIndex index, boolean writable,
      MadeDirectories madeObjects) {
    this.dir = dir;
    this.blobs = blobs;
    this.index = index;
    this.writable = writable;
    this.madeObjects = madeObjects;
  }

  /** The index file of the archive in {@code dir}. */
  public static Path indexOf(Path dir) {
    return ArchiveIndex.fileOf(dir);
  }

  /**
   * Opens the archive for writing and reading, creating the directory if needed, locking the
   * index against other writers, checking that it is an archive index and repairing a torn last
   * index line (as {@link NdjsonRowSink} does for a sink).
   *
   * @throws FileInUseException when another run writes to the archive
   * @throws NotOurFileException when {@code index.ndjson} is not an archive index, or
   *     {@code objects} is not a directory
   * @throws IOException when the directory cannot be used
   */
  public static PageArchive open(Path dir) throws IOException {
    requireNonNull(dir, "dir");
    BlobStore blobs = BlobStore.existing(dir); // refused before the index and its lock are made
    ArchiveIndex index = ArchiveIndex.open(indexOf(dir));
    try {
      return new PageArchive(dir, blobs, index, true, blobs.create());
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  /**
   * Refuses what {@link #open} would refuse, changing nothing and taking no lock: for a dry run.
   * A missing archive passes (the run creates it).
   *
   * @throws NotOurFileException when {@code index.ndjson} is not an archive index, or its lock
   *     file or {@code objects} is not ours
   * @throws IOException when the index cannot be read
   */
  public static void check(Path dir) throws IOException {
    requireNonNull(dir, "dir");
    BlobStore.existing(dir);
    ArchiveIndex.requireOneName(indexOf(dir));
    ArchiveIndex.openReadOnly(indexOf(dir)).close();
  }

  /**
   * Refuses an archive that another run writes now, taking no lock and creating nothing: for a
   * run that must not make its sink before it finds the archive in use.
   *
   * @throws FileInUseException when another run writes to the archive
   * @throws NotOurFileException when the index's lock file is not ours
   */
  public static void requireFree(Path dir) throws IOException {
    requireNonNull(dir, "dir");
    WriterLock.requireFree(indexOf(dir));
  }

  /**
   * Opens an existing archive for reading only.
   *
   * @throws NoSuchFileException when the directory holds no archive index
   * @throws NotOurFileException when its {@code objects} is not a directory
   */
  public static PageArchive openReadOnly(Path dir) throws IOException {
    requireNonNull(dir, "dir");
    Path file = indexOf(dir);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "not a page archive (no index)");
    }
    return new PageArchive(dir, BlobStore.existing(dir), ArchiveIndex.openReadOnly(file), false,
        MadeDirectories.NONE);
  }

  /** The archive directory. */
  public Path dir() {
    return dir;
  }

  /**
   * Stores a fetched page: the body as a blob unless an identical one is stored whole already
   * (a damaged one at its address is replaced, with a warning), then a line in the index. Both
   * are on disk when this returns.
   *
   * @return the index entry written
   * @throws NotOurFileException when a directory or another non-file is at the blob's address
   * @throws IOException when the blob or the index line cannot be written; a failed index
   *     append is cut back
   * @throws IllegalStateException when the archive is read-only or closed
   * @throws IllegalArgumentException when the body is over 64 MiB, four times the parser's
   *     limit (no page that large could be replayed; the fetcher's default cap is 8 MiB)
   */
  public Entry put(ArticleUrl url, int httpStatus, String contentType, Instant fetchedAt,
      byte[] body) throws IOException {
    return put(WorkItem.of(url), httpStatus, contentType, fetchedAt, body);
  }

  /** As {@link #put(ArticleUrl, int, String, Instant, byte[])}, keeping the item's columns. */
  public Entry put(WorkItem item, int httpStatus, String contentType, Instant fetchedAt,
      byte[] body) throws IOException {
    return append(keep(item, httpStatus, contentType, fetchedAt, body));
  }

  /**
   * As {@link #put(WorkItem, int, String, Instant, byte[])} for {@code response}, the answer to
   * {@code item}'s URL, keeping where the site served it from when it redirected the URL
   * elsewhere, and the statuses of those redirects: a replay judges the page as the scrape did.
   */
  public Entry put(WorkItem item, FetchResponse response, Instant fetchedAt) throws IOException {
    return append(keep(item, response, fetchedAt));
  }

  /**
   * The first half of {@link #put(WorkItem, int, String, Instant, byte[])}: stores the body as a
   * blob, and writes no index line, so that no replay finds the page until {@link #append}
   * writes the returned entry's line (a run that stores no row of the page leaves it out). A
   * blob no index line names is never read: it costs its bytes alone, and a page with the same
   * body stored later uses it.
   *
   * @return the entry to append, the body's blob on disk
   * @throws NotOurFileException when a directory or another non-file is at the blob's address
   * @throws IOException when the blob cannot be written
   * @throws IllegalStateException when the archive is read-only or closed
   * @throws IllegalArgumentException when the body is over 64 MiB
   */
  public Entry keep(WorkItem item, int httpStatus, String contentType, Instant fetchedAt,
      byte[] body) throws IOException {
    return keep(item, httpStatus, contentType, fetchedAt, body, null, List.of());
  }

  /**
   * As {@link #keep(WorkItem, int, String, Instant, byte[])} for {@code response}, keeping where
   * the site served it from, as {@link #put(WorkItem, FetchResponse, Instant)} does.
   */
  public Entry keep(WorkItem item, FetchResponse response, Instant fetchedAt) throws IOException {
    requireNonNull(response, "response");
    boolean moved = !response.finalUri().equals(response.uri());
    return keep(item, response.status(), response.contentType(), fetchedAt, response.body(),
        moved ? response.finalUri() : null, moved ? response.redirects() : List.of());
  }

  private Entry keep(WorkItem item, int httpStatus, String contentType, Instant fetchedAt,
      byte[] body, URI finalUrl, List<Integer> redirects) throws IOException {
    requireNonNull(item, "item");
    requireNonNull(body, "body");
    if (body.length > BlobStore.MAX_BODY) {
      throw new IllegalArgumentException("body is " + body.length + " bytes, over the archive's"
          + " limit of " + BlobStore.MAX_BODY);
    }
    String sha = BlobStore.sha256(body);
    Entry entry = new Entry(item.url(), httpStatus, contentType, fetchedAt, sha,
        item.attributes(), finalUrl, redirects);
    ensureWritable(); // before the blob is read back, which may log that it is stored again
    // Compress outside the lock: it is the expensive part and needs no coordination.
    byte[] compressed = blobs.holds(sha, body) ? null : BlobStore.gzip(body);
    if (compressed != null) {
      synchronized (this) {
        ensureWritable();
        blobs.store(sha, compressed);
      }
    }
    return entry;
  }

  /**
   * The second half of {@link #put(WorkItem, int, String, Instant, byte[])}: writes the index
   * line of an entry whose blob {@link #keep} stored, and forces it to disk.
   *
   * @return the entry written (without the pass-through columns that would make its line too
   *     long)
   * @throws IOException when the index line cannot be written; a failed append is cut back
   * @throws IllegalArgumentException when no blob of the entry's body is stored: an index line
   *     never names a page the archive cannot give back
   * @throws IllegalStateException when the archive is read-only or closed
   */
  public synchronized Entry append(Entry entry) throws IOException {
    return appendAll(List.of(entry)).get(0);
  }

  /**
   * {@link #append} of several entries as one: their index lines, in order, are one write
   * forced to disk once (thousands of pages cost one wait for the disk, not thousands); all are
   * written, or (cut back) none.
   *
   * @return the entries written
   * @throws IOException when the index lines cannot be written; none of them is then kept
   * @throws IllegalArgumentException when no blob of an entry's body is stored; none is written
   * @throws IllegalStateException when the archive is read-only or closed
   */
  public synchronized List<Entry> appendAll(List<Entry> entries) throws IOException {
    requireNonNull(entries, "entries");
    ensureWritable();
    for (Entry entry : entries) {
      requireNonNull(entry, "entry");
      if (!blobs.contains(entry.sha256())) {
        throw new IllegalArgumentException(dir + ": no page of " + entry.url()
            + " is stored under " + entry.sha256() + "; keep its body first");
      }
    }
    return entries.isEmpty() ? List.of() : index.appendAll(entries);
  }

  /**
   * Every index entry in the order written, streamed (the caller closes the stream). Read errors
   * and damaged lines arrive as {@link UncheckedIOException} (the cause a
   * {@link CorruptArchiveException} naming the line).
   */
  public Stream<Entry> entries() throws IOException {
    ensureOpen();
    return index.entries();
  }

  /**
   * The last {@linkplain Entry#isPage() page} of each URL, in the order written: a failed fetch
   * after an earlier page of its URL leaves that page standing; a URL with no page is left out
   * (and counted in a log line). Reads the index twice, keeping about 24 bytes per index line in
   * between (24 MB for a million fetches).
   */
  public Stream<Entry> latest() throws IOException {
    ensureOpen();
    return index.latest();
  }

  /**
   * Every page of each URL: its {@linkplain ArchiveHistory#latest() latest}, as {@link #latest()}
   * gives them, and the {@linkplain ArchiveHistory#older older} ones, for a reader that finds a
   * URL's latest page is no page of the article (a bot challenge or a maintenance notice served
   * with HTTP 200). Close it when done.
   */
  public ArchiveHistory history() throws IOException {
    ensureOpen();
    return index.history();
  }

  /**
   * The body of an entry, decompressed and checked against its hash.
   *
   * @throws NoSuchFileException when the blob is missing
   * @throws CorruptArchiveException when the blob does not match its hash, is not gzip, or is
   *     not a file (a directory)
   */
  public byte[] read(Entry entry) throws IOException {
    return read(requireNonNull(entry, "entry").sha256());
  }

  /** The body whose SHA-256 is {@code sha256}; see {@link #read(Entry)}. */
  public byte[] read(String sha256) throws IOException {
    BlobStore.requireSha256(sha256);
    ensureOpen();
    return blobs.read(sha256);
  }

  /**
   * Whether {@code head} begins as gzip data does ({@code 1f 8b}), as every blob of an archive
   * does and no page (HTML or JSON text) can.
   */
  public static boolean isGzip(byte[] head) {
    return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
  }

  /**
   * The body a blob read on its own gives ({@code objects/ab/<sha256>.gz} handed to
   * {@code pixiv parse}), decompressed as {@link #read(String)} decompresses it: at most
   * {@code max} bytes and one more, which shows that it holds more. A whole body read from a
   * file named as a blob is named ({@code <64 hex digits>.gz}) is checked against that hash.
   * Does not close {@code stored}.
   *
   * @param name the file's name, for messages and the hash; {@code -} for standard input
   * @throws CorruptArchiveException naming {@code name} when the bytes are not whole gzip, or
   *     not the body the name's hash names
   */
  public static byte[] inflate(java.io.InputStream stored, Path name, int max)
      throws IOException {
    requireNonNull(stored, "stored");
    requireNonNull(name, "name");
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, was " + max);
    }
    byte[] body = BlobStore.inflate(stored, name, max);
    Path file = name.getFileName();
    String fileName = file == null ? "" : file.toString();
    if (body.length <= max && fileName.endsWith(".gz")) {
      String sha = fileName.substring(0, fileName.length() - ".gz".length());
      if (BLOB_NAME.matcher(sha).matches()) {
        BlobStore.requireHash(name, body, sha);
      }
    }
    return body;
  }

  private static final java.util.regex.Pattern BLOB_NAME =
      java.util.regex.Pattern.compile("[0-9a-f]{64}");

  /**
   * Whether something is stored under this hash (unchecked: {@link #read} finds out whether it
   * gives the body back).
   */
  public boolean contains(String sha256) {
    return blobs.contains(sha256);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(dir + ": the archive is closed");
    }
  }

  private void ensureWritable() {
    ensureOpen();
    if (!writable) {
      throw new IllegalStateException(dir + ": the archive was opened read-only");
    }
  }

  /** Releases the lock and closes the index. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    index.close();
  }

  /**
   * Closes the archive as {@link #close} does, first taking away what {@link #open} made when
   * nothing was stored in it: for a run that failed before it fetched a page, so that a new
   * archive leaves nothing behind. The {@code objects} directory goes while it is empty, then
   * the index and its lock file when they were made and the index holds no line, then the
   * directories made for them (the archive's, its parents) while they are empty, the deepest
   * first. What was there before, and an archive that holds a page, are only closed.
   * Idempotent.
   *
   * @throws IOException when something made could not be removed, or the index closed
   */
  public synchronized void closeRemovingIfUnwritten() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (index.isEmpty()) {
        madeObjects.removeIfEmpty();
      }
    } catch (IOException | RuntimeException e) {
      try {
        index.closeRemovingIfUnwritten();
      } catch (IOException | RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    index.closeRemovingIfUnwritten();
  }

  @Override
  public String toString() {
    return "PageArchive[" + dir + (writable ? "]" : ", read-only]");
  }
}
