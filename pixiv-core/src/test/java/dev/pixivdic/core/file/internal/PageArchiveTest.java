package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.fetch.FetchResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageArchiveTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ArticleUrl A = ArticleUrl.ofTitle("初音ミク");
  private static final ArticleUrl B = ArticleUrl.ofTitle("pixiv");

  @TempDir Path dir;

  /** Where the blob of an entry's body lies. */
  private Path blobOf(PageArchive.Entry e) {
    return dir.resolve("objects").resolve(e.sha256().substring(0, 2)).resolve(e.sha256() + ".gz");
  }

  private static byte[] page(String s) {
    return ("<html><body>" + s + "</body></html>").getBytes(StandardCharsets.UTF_8);
  }

  private static List<PageArchive.Entry> all(Stream<PageArchive.Entry> entries) {
    try (entries) {
      return entries.toList();
    }
  }

  private long blobCount() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("objects"))) {
      return files.filter(p -> p.toString().endsWith(".gz")).count();
    }
  }

  /**
   * A run that failed before it fetched a page left a new archive behind: its directories, an
   * empty index and its lock, an empty objects directory. Closing it for a failed run takes away
   * what it made while nothing is stored; an archive that holds a page, or was there, stays.
   */
  @Test
  void closingForAFailedRunRemovesANewArchiveThatStoredNothing() throws IOException {
    PageArchive.open(dir.resolve("new/week49")).closeRemovingIfUnwritten();
    assertThat(dir.resolve("new")).doesNotExist();

    Path stored = dir.resolve("stored");
    PageArchive archive = PageArchive.open(stored);
    archive.put(A, 200, "text/html", T0, page("a"));
    archive.closeRemovingIfUnwritten();
    try (PageArchive again = PageArchive.openReadOnly(stored)) {
      assertThat(all(again.entries())).hasSize(1);
    }

    Path before = dir.resolve("before");
    PageArchive.open(before).close();
    PageArchive.open(before).closeRemovingIfUnwritten();
    assertThat(PageArchive.indexOf(before)).isEmptyFile();
    assertThat(before.resolve("objects")).isEmptyDirectory();
  }

  /**
   * A writer's lock lies beside a name of the index, so a second name (a hard link) is refused
   * to writers and their dry runs; a snapshot made with {@code cp -al} can still be replayed.
   */
  @Test
  void anIndexWithASecondNameIsRefusedToWritersButReadForReplay(@TempDir Path elsewhere)
      throws Exception {
    byte[] body = page("hello");
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(A, 200, "text/html; charset=utf-8", T0, body);
    }
    Path snapshot = Files.createDirectory(elsewhere.resolve("snapshot"));
    Files.createLink(snapshot.resolve("index.ndjson"), dir.resolve("index.ndjson"));
    Files.createDirectory(snapshot.resolve("objects"));

    assertThatThrownBy(() -> PageArchive.open(dir)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("index.ndjson has 2 names (hard links)")
        .hasMessageContaining("Write to a copy of the archive (cp -r " + dir.toAbsolutePath());
    assertThatThrownBy(() -> PageArchive.check(snapshot)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("hard links");
    try (PageArchive read = PageArchive.openReadOnly(dir)) {
      assertThat(all(read.entries())).hasSize(1);
    }
  }

  @Test
  void aPageIsStoredCompressedUnderItsHashAndReadBackVerified() throws Exception {
    byte[] body = page("hello");
    try (PageArchive archive = PageArchive.open(dir)) {
      PageArchive.Entry e = archive.put(A, 200, "text/html; charset=utf-8", T0, body);

      assertThat(e.sha256()).isEqualTo(BlobStore.sha256(body)).hasSize(64);
      Path blob = blobOf(e);
      assertThat(blob).isRegularFile();
      assertThat(Files.readAllBytes(blob)).startsWith((byte) 0x1f, (byte) 0x8b);
      assertThat(archive.read(e)).isEqualTo(body);
      assertThat(archive.contains(e.sha256())).isTrue();
    }
    assertThat(Files.readString(dir.resolve("index.ndjson"))).isEqualTo(
        "{\"url\":\"" + A.canonical() + "\",\"http_status\":200,\"content_type\":"
            + "\"text/html; charset=utf-8\",\"fetched_at\":\"2026-01-01T00:00:00Z\",\"sha256\":\""
            + BlobStore.sha256(body) + "\"}\n");
  }

  @Test
  void identicalPagesAreStoredOnceButEveryFetchIsIndexed() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(A, 200, "text/html", T0, page("same"));
      archive.put(B, 200, "text/html", T0, page("same"));
      archive.put(A, 200, "text/html", T0.plusSeconds(60), page("same"));
      archive.put(B, 404, null, T0.plusSeconds(60), page("other"));

      assertThat(blobCount()).isEqualTo(2);
      assertThat(all(archive.entries())).hasSize(4);
    }
  }

  /**
   * A page kept but not appended (a row the run held back and never stored) is in no replay; a
   * page that uses its body later is, and an index line never names a body that is not there.
   */
  @Test
  void aKeptPageIsReplayedOnlyOnceAppendedAndAnUnappendedBlobIsHarmless() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      PageArchive.Entry held = archive.keep(dev.pixivdic.core.WorkItem.of(A), 404, "text/html",
          T0, page("gone"));

      assertThat(blobOf(held)).isRegularFile();
      assertThat(all(archive.entries())).isEmpty();
      assertThat(all(archive.latest())).isEmpty();

      PageArchive.Entry later = archive.put(B, 404, "text/html", T0, page("gone"));
      assertThat(all(archive.latest())).containsExactly(later);
      assertThat(archive.read(later)).isEqualTo(page("gone"));

      PageArchive.Entry kept = archive.keep(dev.pixivdic.core.WorkItem.of(A), 200, "text/html",
          T0, page("here"));
      assertThat(archive.append(kept)).isEqualTo(kept);
      assertThat(all(archive.latest())).containsExactly(later, kept);

      Files.delete(blobOf(kept));
      assertThatThrownBy(() -> archive.append(kept))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(kept.sha256());
      assertThat(all(archive.entries())).hasSize(2);
    }
  }

  /** Kept pages appended together get their lines in order; one without its body, none. */
  @Test
  void keptPagesAppendedTogetherAreAllIndexedInOrderOrNoneIs() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      PageArchive.Entry a = archive.keep(dev.pixivdic.core.WorkItem.of(A), 404, "text/html",
          T0, page("gone a"));
      PageArchive.Entry b = archive.keep(dev.pixivdic.core.WorkItem.of(B), 404, "text/html",
          T0, page("gone b"));

      assertThat(archive.appendAll(List.of(a, b))).containsExactly(a, b);
      assertThat(all(archive.entries())).containsExactly(a, b);

      Files.delete(blobOf(b));
      assertThatThrownBy(() -> archive.appendAll(List.of(a, b)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(b.sha256());
      assertThat(all(archive.entries())).containsExactly(a, b);
    }
  }

  @Test
  void anExistingBlobIsNotRewritten() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      PageArchive.Entry e = archive.put(A, 200, "text/html", T0, page("x"));
      Path blob = blobOf(e);
      Files.setLastModifiedTime(blob, java.nio.file.attribute.FileTime.from(T0));

      archive.put(B, 200, "text/html", T0, page("x"));

      assertThat(Files.getLastModifiedTime(blob).toInstant()).isEqualTo(T0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"empty", "cut short", "not gzip", "another page", "longer",
      "bad checksum"})
  void aDamagedBlobAtAPagesAddressIsReplacedWhenThePageIsStoredAgain(String damage)
      throws Exception {
    byte[] body = page("x");
    try (PageArchive archive = PageArchive.open(dir)) {
      Path blob = blobOf(archive.put(A, 200, "text/html", T0, body));
      byte[] whole = Files.readAllBytes(blob);
      Files.write(blob, switch (damage) {
        case "empty" -> new byte[0];
        case "cut short" -> Arrays.copyOf(whole, whole.length - 9);
        case "not gzip" -> body;
        case "another page" -> BlobStore.gzip(page("y"));
        case "bad checksum" -> { // the right bytes, but gzip's CRC-32 at the end says otherwise
          byte[] flipped = whole.clone();
          flipped[whole.length - 8] ^= 1;
          yield flipped;
        }
        default -> BlobStore.gzip((new String(body, StandardCharsets.UTF_8) + "<p>more")
            .getBytes(StandardCharsets.UTF_8));
      });
      if (!damage.equals("another page") && !damage.equals("longer")) {
        // Read as it is, the damage is named (an empty file's said "null").
        assertThatThrownBy(() -> archive.read(BlobStore.sha256(body)))
            .isInstanceOf(CorruptArchiveException.class)
            .hasMessageContaining("not a whole gzip file: ").hasMessageNotContaining("null");
      }

      PageArchive.Entry again = archive.put(B, 200, "text/html", T0, body);

      assertThat(archive.read(again)).isEqualTo(body);
      assertThat(Files.readAllBytes(blob)).isEqualTo(whole);
    }
  }

  @Test
  void aDirectoryAtAPagesAddressIsRefusedNamingItAndNothingIsIndexed() throws Exception {
    byte[] body = page("x");
    String sha = BlobStore.sha256(body);
    Path blob = dir.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha + ".gz");
    Files.createDirectories(blob);
    try (PageArchive archive = PageArchive.open(dir)) {
      assertThatThrownBy(() -> archive.put(A, 200, "text/html", T0, body))
          .isInstanceOf(NotOurFileException.class).hasMessageContaining(blob.toString());
      assertThatThrownBy(() -> archive.read(sha))
          .isInstanceOf(CorruptArchiveException.class).hasMessageContaining(blob.toString());
      assertThat(all(archive.entries())).isEmpty();
    }
    assertThat(blob).isEmptyDirectory();
  }

  /** Read back, a pipe nobody writes would have held the run forever. */
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // open(2) blocks
  void aPipeAtAPagesAddressIsRefusedWithoutBeingRead() throws Exception {
    byte[] body = page("x");
    String sha = BlobStore.sha256(body);
    Path blob = dir.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha + ".gz");
    Files.createDirectories(blob.getParent());
    assertThat(new ProcessBuilder("mkfifo", blob.toString()).start().waitFor()).isZero();
    try (PageArchive archive = PageArchive.open(dir)) {
      assertThatThrownBy(() -> archive.put(A, 200, "text/html", T0, body))
          .isInstanceOf(NotOurFileException.class).hasMessageContaining(blob + " is not a file")
          .hasMessageContaining("Remove it");
      assertThatThrownBy(() -> archive.read(sha)).isInstanceOf(CorruptArchiveException.class);
    }
  }

  @Test
  void entriesComeInOrderAndLatestKeepsTheLastFetchOfEachUrl() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(A, 200, "text/html", T0, page("a1"));
      archive.put(B, 200, "text/html", T0, page("b1"));
      archive.put(A, 200, "text/html", T0.plusSeconds(1), page("a2"));

      assertThat(all(archive.entries())).extracting(PageArchive.Entry::url)
          .containsExactly(A, B, A);
      List<PageArchive.Entry> latest = all(archive.latest());
      assertThat(latest).extracting(PageArchive.Entry::url).containsExactly(B, A);
      assertThat(archive.read(latest.get(1))).isEqualTo(page("a2"));
    }
  }

  @Test
  void latestKeepsTheLastPageOfEachUrlPastFailedFetchesAndLeavesOutUrlsWithNone()
      throws Exception {
    ArticleUrl c = ArticleUrl.ofTitle("c");
    ArticleUrl d = ArticleUrl.ofTitle("d");
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(A, 200, "text/html", T0, page("a1"));
      archive.put(B, 404, "text/html", T0, page("gone"));
      archive.put(A, 503, "text/html", T0.plusSeconds(1), page("busy"));
      archive.put(A, 403, "text/html", T0.plusSeconds(2), page("blocked"));
      archive.put(A, 200, "text/html", T0.plusSeconds(3), new byte[0]);
      archive.put(B, 429, "text/html", T0.plusSeconds(1), page("slow down"));
      archive.put(c, 500, "text/html", T0, page("oops"));
      archive.put(d, 410, null, T0, page("removed"));
      archive.put(d, 204, null, T0.plusSeconds(1), page("no content but a body"));

      List<PageArchive.Entry> latest = all(archive.latest());

      assertThat(latest).extracting(PageArchive.Entry::url).containsExactly(A, B, d);
      assertThat(archive.read(latest.get(0))).isEqualTo(page("a1"));
      assertThat(latest.get(1).httpStatus()).isEqualTo(404);
      assertThat(latest.get(2).httpStatus()).isEqualTo(204);
    }
  }

  @Test
  void anItemsPassThroughColumnsAreKeptWithItsFetchAndAnOldLineHasNone() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(new dev.pixivdic.core.WorkItem(A, java.util.Map.of("middle_class_ip_name",
          "ボーカロイド \"V\"")), 200, "text/html", T0, page("a"));
      archive.put(B, 200, "text/html", T0, page("b"));
    }
    Files.writeString(dir.resolve("index.ndjson"), "{\"url\":\"" + ArticleUrl.ofTitle("old")
        .canonical() + "\",\"http_status\":200,\"content_type\":null,\"fetched_at\":\""
        + T0 + "\",\"sha256\":\"" + BlobStore.sha256(page("b")) + "\"}\n",
        java.nio.file.StandardOpenOption.APPEND);

    try (PageArchive archive = PageArchive.openReadOnly(dir)) {
      List<PageArchive.Entry> entries = all(archive.entries());

      assertThat(entries).extracting(PageArchive.Entry::attributes).containsExactly(
          java.util.Map.of("middle_class_ip_name", "ボーカロイド \"V\""), java.util.Map.of(),
          java.util.Map.of());
    }
  }

  /**
   * A page the site served from another article is kept with where it came from and how, so
   * that a replay judges it as the scrape did; a page served for its own URL writes the line an
   * older version wrote, and an older line reads as a page served for its own URL.
   */
  @Test
  void wherePageWasServedFromIsKeptWithItsFetchAndAnOldLineHasNone() throws Exception {
    URI served = B.uri();
    FetchResponse moved = new FetchResponse(A.uri(), served, List.of(301, 302), 200,
        "text/html", page("b"), 1, java.time.Duration.ZERO);
    FetchResponse own = new FetchResponse(B.uri(), B.uri(), 200, "text/html", page("b"), 1,
        java.time.Duration.ZERO);
    String huge = "x".repeat(ArchiveIndex.MAX_LINE);
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(dev.pixivdic.core.WorkItem.of(A), moved, T0);
      archive.put(dev.pixivdic.core.WorkItem.of(B), own, T0);
      archive.put(new dev.pixivdic.core.WorkItem(A, java.util.Map.of("note", huge)), moved, T0);
    }
    List<String> lines = Files.readAllLines(dir.resolve("index.ndjson"));
    assertThat(lines.get(0)).contains("\"final_url\":\"" + served + "\",\"redirects\":[301,302]");
    assertThat(lines.get(1)).doesNotContain("final_url").doesNotContain("redirects");
    Files.writeString(dir.resolve("index.ndjson"), "{\"url\":\"" + A.canonical()
        + "\",\"http_status\":200,\"content_type\":null,\"fetched_at\":\"" + T0
        + "\",\"sha256\":\"" + BlobStore.sha256(page("b")) + "\"}\n",
        java.nio.file.StandardOpenOption.APPEND);

    try (PageArchive archive = PageArchive.openReadOnly(dir)) {
      List<PageArchive.Entry> entries = all(archive.entries());

      assertThat(entries).extracting(PageArchive.Entry::finalUrl)
          .containsExactly(served, null, served, null);
      assertThat(entries).extracting(PageArchive.Entry::redirects)
          .containsExactly(List.of(301, 302), List.of(), List.of(301, 302), List.of());
      FetchResponse again = entries.get(0).response(page("b"));
      assertThat(again.uri()).isEqualTo(A.uri());
      assertThat(again.finalUri()).isEqualTo(served);
      assertThat(again.permanentRedirect()).isFalse();
      FetchResponse old = entries.get(3).response(page("b"));
      assertThat(old.finalUri()).isEqualTo(A.uri());
      assertThat(old.redirects()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"redirects\":[200]", "\"redirects\":301",
      "\"redirects\":[\"301\"]", "\"final_url\":\"https://dic.pixiv.net/a/%zz\"",
      "\"final_url\":null,\"redirects\":[301]"})
  void anIndexLineWithMalformedRedirectsIsADamagedLine(String field) {
    String line = "{\"url\":\"" + A.canonical() + "\",\"http_status\":200,\"fetched_at\":\""
        + T0 + "\",\"sha256\":\"" + BlobStore.sha256(page("a")) + "\"," + field + "}";

    assertThatThrownBy(() -> ArchiveEntryCodec.parse(line))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void passThroughValuesTooLargeForAnIndexLineAreLeftOutSoLaterReadsStillWork()
      throws Exception {
    String huge = "x".repeat(ArchiveIndex.MAX_LINE);
    PageArchive.Entry stored;
    try (PageArchive archive = PageArchive.open(dir)) {
      stored = archive.put(new dev.pixivdic.core.WorkItem(A, java.util.Map.of("note", huge,
          "middle_class_ip_name", "ゲーム")), 200, "text/html", T0, page("a"));
      archive.put(new dev.pixivdic.core.WorkItem(B, java.util.Map.of("note", "short")), 200,
          "text/html", T0, page("b"));
    }

    assertThat(stored.attributes()).as("the small column kept")
        .isEqualTo(java.util.Map.of("middle_class_ip_name", "ゲーム"));
    try (PageArchive archive = PageArchive.openReadOnly(dir)) {
      assertThat(all(archive.entries())).extracting(PageArchive.Entry::attributes)
          .containsExactly(java.util.Map.of("middle_class_ip_name", "ゲーム"),
              java.util.Map.of("note", "short"));
    }
  }

  @Test
  void theValueLeftOutIsTheLargestAsWrittenNotAsHeld() throws Exception {
    // The kana are more characters as held; the control characters take six each as JSON.
    String escaped = "\u0001".repeat(300_000);
    String kana = "名".repeat(400_000);
    PageArchive.Entry stored;
    try (PageArchive archive = PageArchive.open(dir)) {
      stored = archive.put(new dev.pixivdic.core.WorkItem(A, java.util.Map.of("col_b", escaped,
          "middle_class_ip_name", kana)), 200, "text/html", T0, page("a"));
    }

    assertThat(stored.attributes()).containsOnlyKeys("middle_class_ip_name");
  }

  @Test
  void anIndexLineWhoseAttributesAreNotStringsIsADamagedLine() {
    String line = "{\"url\":\"" + A.canonical() + "\",\"http_status\":200,\"fetched_at\":\""
        + T0 + "\",\"sha256\":\"" + BlobStore.sha256(page("a")) + "\",\"attributes\":{\"n\":1}}";

    assertThatThrownBy(() -> ArchiveEntryCodec.parse(line))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attributes.n");
  }

  @Test
  void aBlobWhoseContentDoesNotMatchItsHashIsReportedCorrupt() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      PageArchive.Entry e = archive.put(A, 200, "text/html", T0, page("x"));
      Path blob = blobOf(e);
      ByteArrayOutputStream other = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(other)) {
        gz.write(page("tampered"));
      }
      Files.write(blob, other.toByteArray());

      assertThatThrownBy(() -> archive.read(e))
          .isInstanceOf(CorruptArchiveException.class)
          .hasMessageContaining(blob.toString())
          .hasMessageContaining("content hash is");

      Files.write(blob, new byte[] {1, 2, 3});
      assertThatThrownBy(() -> archive.read(e))
          .isInstanceOf(CorruptArchiveException.class)
          .hasMessageContaining("not a whole gzip file");
    }
  }

  /** A small blob that inflated to gigabytes was read whole: out of memory, exit 1. */
  @Test
  void aBlobThatInflatesOverTheLimitIsRefusedUnheldAndALargerPageIsNotStored() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      PageArchive.Entry e = archive.put(A, 200, "text/html", T0, page("x"));
      Path blob = blobOf(e);
      ByteArrayOutputStream bomb = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
        byte[] zeros = new byte[1024 * 1024];
        for (int i = 0; i <= BlobStore.MAX_BODY / zeros.length; i++) {
          gz.write(zeros);
        }
      }
      Files.write(blob, bomb.toByteArray());

      assertThatThrownBy(() -> archive.read(e))
          .isInstanceOf(CorruptArchiveException.class)
          .hasMessageContaining(blob.toString())
          .hasMessageContaining("inflates to more than 67108864 bytes");
      assertThatThrownBy(() -> archive.put(B, 200, "text/html", T0,
          new byte[BlobStore.MAX_BODY + 1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("over the archive's limit of 67108864");
      assertThat(all(archive.entries())).hasSize(1);
    }
  }

  /** An index line of hundreds of megabytes was read whole: out of memory, exit 1. */
  @Test
  void anIndexLineOverTheLimitFailsNamingTheLineUnheld() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(A, 200, "text/html", T0, page("a"));
    }
    Files.writeString(dir.resolve("index.ndjson"), "x".repeat(ArchiveIndex.MAX_LINE + 1) + "\n",
        StandardOpenOption.APPEND);

    try (PageArchive archive = PageArchive.openReadOnly(dir)) {
      assertThatThrownBy(() -> all(archive.entries()))
          .isInstanceOf(UncheckedIOException.class)
          .cause().isInstanceOf(CorruptArchiveException.class)
          .hasMessageContaining("index.ndjson: line 2: not an archive entry: the line is 1048577"
              + " characters long, over the limit of 1048576. A retry cannot fix this")
          .hasMessageNotContaining("skipped")
          .hasMessageContaining("sed -i '2d' ")
          .hasMessageContaining("index.ndjson, while no run writes the archive");
    }
  }

  @Test
  void aMissingBlobFailsNamingIt() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      String sha = BlobStore.sha256(page("never stored"));
      assertThatThrownBy(() -> archive.read(sha))
          .isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining(sha + ".gz");
      assertThatThrownBy(() -> archive.read("abc"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("64 lower-case hex digits");
    }
  }

  @Test
  void aTornIndexLineIsCutAwayOnOpen() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(A, 200, "text/html", T0, page("a"));
    }
    Files.writeString(dir.resolve("index.ndjson"), "{\"url\":\"https://dic.pix",
        StandardOpenOption.APPEND);

    try (PageArchive readOnly = PageArchive.openReadOnly(dir)) {
      assertThat(all(readOnly.entries())).hasSize(1);
    }
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(B, 200, "text/html", T0, page("b"));
      assertThat(all(archive.entries())).extracting(PageArchive.Entry::url).containsExactly(A, B);
    }
  }

  @Test
  void aDamagedIndexLineFailsNamingTheLine() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(A, 200, "text/html", T0, page("a"));
    }
    Files.writeString(dir.resolve("index.ndjson"), "{\"url\":\"x\"}\n{\"url\":\"y\"}\n",
        StandardOpenOption.APPEND);

    try (PageArchive archive = PageArchive.openReadOnly(dir)) {
      assertThatThrownBy(() -> all(archive.entries()))
          .isInstanceOf(UncheckedIOException.class)
          .cause().isInstanceOf(CorruptArchiveException.class)
          .hasMessageContaining("index.ndjson: line 2: not an archive entry");
    }
  }

  @Test
  void readOnlyArchivesRefusePutAndNeedAnIndex() throws Exception {
    assertThatThrownBy(() -> PageArchive.openReadOnly(dir))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("not a page archive");
    PageArchive.open(dir).close();
    try (PageArchive archive = PageArchive.openReadOnly(dir)) {
      assertThatThrownBy(() -> archive.put(A, 200, null, T0, page("a")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
    }
  }

  /** Every page failed to read as if the disk had failed ("Not a directory"), exit 75. */
  @Test
  void anArchiveWhoseObjectsIsAPlainFileIsRefusedUntouched() throws Exception {
    PageArchive.open(dir).close();
    Path other = Files.createDirectories(dir.resolve("other"));
    for (Path d : List.of(dir, other)) {
      Files.deleteIfExists(d.resolve("objects"));
      Files.writeString(d.resolve("objects"), "notes\n");
    }

    assertThatThrownBy(() -> PageArchive.openReadOnly(dir))
        .isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("objects is not a directory, so " + dir + " is not a page archive");
    assertThatThrownBy(() -> PageArchive.open(other))
        .isInstanceOf(NotOurFileException.class);
    try (var left = Files.list(other)) {
      assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("objects");
    }
  }

  /**
   * A dangling link for objects passed a dry run and failed the run saying "is a file"; a file
   * where a two-digit directory of objects belongs failed each page's store as a disk error
   * (exit 69, "retry"). Both are refused before anything is written.
   */
  @Test
  void anObjectsLinkToNothingOrAFileAmongItsDirectoriesIsRefusedAtOpen() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.createSymbolicLink(other.resolve("objects"), other.resolve("gone"));

    for (ThrowingCallable open : List.<ThrowingCallable>of(() -> PageArchive.check(other),
        () -> PageArchive.open(other))) {
      assertThatThrownBy(open).isInstanceOf(NotOurFileException.class)
          .hasMessageContaining("objects is a symbolic link that leads nowhere");
    }
    assertThat(other.resolve("gone")).doesNotExist();
    assertThat(other.resolve("index.ndjson")).doesNotExist();

    PageArchive.Entry e;
    try (PageArchive archive = PageArchive.open(dir)) {
      e = archive.put(A, 200, "text/html", T0, page("a"));
    }
    Path shelf = blobOf(e).getParent();
    Files.delete(blobOf(e));
    Files.delete(shelf);
    Files.writeString(shelf, "notes\n");
    for (ThrowingCallable open : List.<ThrowingCallable>of(() -> PageArchive.check(dir),
        () -> PageArchive.open(dir), () -> PageArchive.openReadOnly(dir))) {
      assertThatThrownBy(open).isInstanceOf(NotOurFileException.class)
          .hasMessageContaining(shelf + " is not a directory, where the archive keeps the pages");
    }
    assertThat(Files.readString(shelf)).isEqualTo("notes\n");
  }

  @Test
  void aSecondWriterIsRefused() throws Exception {
    try (PageArchive archive = PageArchive.open(dir)) {
      assertThatThrownBy(() -> PageArchive.open(dir))
          .isInstanceOf(IOException.class).hasMessageContaining("in use by another run");
      assertThat(archive.dir()).isEqualTo(dir);
    }
  }

  @Test
  void putFromSeveralThreadsIndexesEveryFetchAndStoresEachBodyOnce() throws Exception {
    int threads = 4;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try (PageArchive archive = PageArchive.open(dir)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            archive.put(ArticleUrl.ofTitle("t" + id + "-" + i), 200, "text/html", T0,
                page("body" + (i % 10)));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
      assertThat(all(archive.entries())).hasSize(threads * perThread);
      assertThat(blobCount()).isEqualTo(10);
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void entriesRejectNonsense() {
    assertThatThrownBy(() -> new PageArchive.Entry(A, 42, null, T0, BlobStore.sha256(page(""))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 42");
  }
}
