package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.internal.RowJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NdjsonSinkTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path tmp;

  private static ArticleRow row(String title, Instant loadedAt) {
    return ArticleRow.builder(ArticleUrl.ofTitle(title)).title(title).loadedAt(loadedAt)
        .middleClassIpName("ip").build();
  }

  static List<ArticleRow> rows(String prefix, int n) {
    List<ArticleRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(row(prefix + i, T0));
    }
    return rows;
  }

  private static List<ArticleRow> readRows(Path file) throws IOException {
    return Files.readAllLines(file).stream().map(RowJson::read).toList();
  }

  @Test
  void appendsWholeBatchesAsOneRowALineCreatingParentDirectories() throws Exception {
    Path file = tmp.resolve("out/sub/rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 3));
      sink.write(List.of());
      sink.write(rows("b", 2));
    }

    assertThat(readRows(file)).hasSize(5).extracting(ArticleRow::title)
        .containsExactly("a0", "a1", "a2", "b0", "b1");
    assertThat(Files.readString(file)).endsWith("}\n");
  }

  @Test
  void reopeningAppendsAfterTheRowsAlreadyThere() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 2));
    }
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("b", 1));
    }

    assertThat(readRows(file)).extracting(ArticleRow::title).containsExactly("a0", "a1", "b0");
  }

  @Test
  void aTornLastLineIsCutAwayOnOpenAndTheEarlierRowsStay() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 2));
    }
    long whole = Files.size(file);
    String next = RowJson.write(row("torn", T0));
    Files.writeString(file, next.substring(0, next.length() / 2), StandardOpenOption.APPEND);

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThat(Files.size(file)).isEqualTo(whole);
      sink.write(rows("b", 1));
    }

    assertThat(readRows(file)).extracting(ArticleRow::title).containsExactly("a0", "a1", "b0");
  }

  @Test
  void aLastLineThatEndsWithANewlineButIsNotARowIsCutAway() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file, RowJson.write(row("a", T0)) + "\n{\"url\": \"https://dic.pix\n");

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThat(sink.stored(Shard.ALL, T0).size()).isEqualTo(1);
    }
    assertThat(readRows(file)).extracting(ArticleRow::title).containsExactly("a");
  }

  @Test
  void aDryRunLeavesOutTheSameLastLineThatARunCutsAway() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    String content = RowJson.write(row("a", T0)) + "\n{\"url\": \"https://dic.pix\n";
    Files.writeString(file, content);

    try (NdjsonSink sink = NdjsonSink.openReadOnly(file)) {
      assertThat(sink.stored(Shard.ALL, T0).size()).isEqualTo(1);
    }
    assertThat(Files.readString(file)).isEqualTo(content);
  }

  @Test
  void aFileOfOnlyATornLineIsEmptiedOnOpen() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file, "{\"url\":\"https://dic.pi");

    NdjsonSink.open(file).close();

    assertThat(Files.size(file)).isZero();
  }

  /** Opens {@code file} through channels that fail when armed, adding each to {@code channels}. */
  private static NdjsonSink openFailing(Path file, List<FailingFileChannel> channels)
      throws IOException {
    return NdjsonSink.open(file, f -> {
      FailingFileChannel ch = new FailingFileChannel(FileChannel.open(f, StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE));
      channels.add(ch);
      return ch;
    });
  }

  @Test
  void aFailedWriteIsCutBackSoNothingOfTheBatchIsStored() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    List<FailingFileChannel> channels = new ArrayList<>();
    try (NdjsonSink sink = openFailing(file, channels)) {
      sink.write(rows("a", 2));
      long before = Files.size(file);
      channels.get(0).failAfter(700);

      assertThatThrownBy(() -> sink.write(rows("b", 3)))
          .isInstanceOf(IOException.class).hasMessageContaining("No space left");
      assertThat(Files.size(file)).isEqualTo(before);

      sink.write(rows("c", 1));
    }

    assertThat(readRows(file)).extracting(ArticleRow::title).containsExactly("a0", "a1", "c0");
  }

  @Test
  void aFullDiskIsNamedWithTheFileAndKeepsTheSystemsErrorAsItsCause() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    List<FailingFileChannel> channels = new ArrayList<>();
    try (NdjsonSink sink = openFailing(file, channels)) {
      channels.get(0).failAfter(10);

      assertThatThrownBy(() -> sink.write(rows("b", 3)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(file + ": the disk is full (No space left on device)")
          .hasMessageContaining("cut back")
          .cause().hasMessage("No space left on device");
    }
  }

  @Test
  void aWriteRefusedMidRunNamesTheFileAndKeepsTheSystemsReason() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    List<FailingFileChannel> channels = new ArrayList<>();
    try (NdjsonSink sink = openFailing(file, channels)) {
      sink.write(rows("a", 1));
      channels.get(0).failAfter(10, "Operation not permitted"); // made immutable meanwhile

      assertThatThrownBy(() -> sink.write(rows("b", 3)))
          .isInstanceOfSatisfying(FileSystemException.class, e -> {
            assertThat(e.getFile()).isEqualTo(file.toString());
            assertThat(e.getReason()).isEqualTo("Operation not permitted");
          })
          .hasMessage(file + ": Operation not permitted");
    }
    assertThat(readRows(file)).extracting(ArticleRow::title).containsExactly("a0");
  }

  @Test
  void aFullQuotaCountsAsAFullDiskAndOtherErrorsAreLeftAsThrown() {
    IOException quota = new IOException("Disk quota exceeded");
    IOException other = new IOException("Input/output error");

    assertThat(DiskFull.named(Path.of("rows.ndjson"), quota, "cut back"))
        .hasMessageContaining("rows.ndjson: the disk is full").hasCause(quota);
    assertThat(DiskFull.named(Path.of("rows.ndjson"), other, "cut back")).isSameAs(other);
  }

  @Test
  void aWriteThatCannotBeCutBackBreaksTheSinkUntilReopened() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    List<FailingFileChannel> channels = new ArrayList<>();
    NdjsonSink sink = openFailing(file, channels);
    sink.write(rows("a", 1));
    channels.get(0).failAfter(10);
    channels.get(0).failTruncate();

    assertThatThrownBy(() -> sink.write(rows("b", 1))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> sink.write(rows("c", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("could not be undone; reopen");
    sink.close();

    try (NdjsonSink reopened = NdjsonSink.open(file)) {
      assertThat(reopened.stored(Shard.ALL, T0).size()).isEqualTo(1);
    }
  }

  /**
   * A torn tail the system does not let the sink cut was said in the system's words alone. The
   * message names the file and the repair it tried; with no attribute of the file to blame
   * (FileAttributeTest has those), it gives no chattr advice and stays an I/O failure.
   */
  @Test
  void aTornTailThatCannotBeCutSaysWhatWasTried() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 1));
    }
    Files.writeString(file, "{\"url\":\"https://dic", StandardOpenOption.APPEND);

    assertThatThrownBy(() -> openWithFault(file, ch -> ch.failTruncate("Operation not permitted")))
        .isNotInstanceOf(java.nio.file.AccessDeniedException.class)
        .hasMessage(file + ": its last line is torn (19 bytes left by an interrupted write, kept"
            + " in " + file + ".torn), and cutting it off failed: Operation not permitted");
  }

  /** Opens the sink through a channel that {@code fault} arms. */
  private static NdjsonSink openWithFault(Path file, Consumer<FailingFileChannel> fault)
      throws IOException {
    return NdjsonSink.open(file, f -> {
      FailingFileChannel ch = new FailingFileChannel(FileChannel.open(f,
          StandardOpenOption.READ, StandardOpenOption.WRITE));
      fault.accept(ch);
      return ch;
    });
  }

  /** Opens the sink with every copy out of the file failing as a full disk fails it. */
  private static NdjsonSink openOnAFullDisk(Path file) throws IOException {
    return openWithFault(file, ch -> ch.failTransfer("No space left on device"));
  }

  /**
   * A full disk while the torn tail was kept in FILE.torn said only "No space left on device",
   * naming no file, and left an empty FILE.torn behind.
   */
  @Test
  void aFullDiskWhileKeepingATornTailNamesBothFilesAndLeavesNoTornFile() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 1));
    }
    Files.writeString(file, "{\"url\":\"https://dic", StandardOpenOption.APPEND);
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> openOnAFullDisk(file)).isInstanceOf(IOException.class)
        .hasMessage(file + ": its last line is torn (19 bytes left by an interrupted write), and"
            + " keeping those bytes in " + file + ".torn failed, the disk is full (No space left"
            + " on device); neither file was changed. Free space on its volume and run again")
        .cause().hasMessage("No space left on device");
    assertThat(tmp.resolve("rows.ndjson.torn")).doesNotExist();
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void aTornTailKeptInAnEarlierTornFileLeavesItAsItWasWhenTheDiskIsFull() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 1));
    }
    Files.writeString(tmp.resolve("rows.ndjson.torn"), "{\"url\":\"older tear\n");
    Files.writeString(file, "{\"url\":\"https://dic", StandardOpenOption.APPEND);

    assertThatThrownBy(() -> openOnAFullDisk(file))
        .hasMessageContaining("rows.ndjson.torn failed, the disk is full");
    assertThat(tmp.resolve("rows.ndjson.torn")).hasContent("{\"url\":\"older tear\n");
  }

  @Test
  void storedHoldsRowsOfAnyStatusLoadedWithinTheWindow() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(List.of(
          row("old", T0.minusSeconds(1)),
          row("fresh", T0),
          ArticleRow.builder(ArticleUrl.ofTitle("gone")).status(Outcome.NOT_FOUND)
              .loadedAt(T0.plusSeconds(5)).build(),
          ArticleRow.builder(ArticleUrl.ofTitle("undated")).build()));

      StoredKeys stored = sink.stored(Shard.ALL, T0);

      assertThat(stored.size()).isEqualTo(2);
      assertThat(stored.contains(ArticleUrl.ofTitle("fresh").canonical())).isTrue();
      assertThat(stored.contains(ArticleUrl.ofTitle("gone").canonical())).isTrue();
      assertThat(stored.contains(ArticleUrl.ofTitle("old").canonical())).isFalse();
      assertThat(stored.contains(ArticleUrl.ofTitle("undated").canonical())).isFalse();
      assertThat(sink.stored(Shard.ALL, Instant.EPOCH).size()).isEqualTo(3);
    }
  }

  @Test
  void storedKeepsOnlyTheShardsKeys() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      List<ArticleRow> all = rows("item", 100);
      sink.write(all);

      int total = 0;
      for (int i = 0; i < 3; i++) {
        Shard shard = new Shard(i, 3);
        StoredKeys stored = sink.stored(shard, T0);
        for (ArticleRow r : all) {
          assertThat(stored.contains(r.url())).isEqualTo(shard.contains(r.url()));
        }
        total += stored.size();
      }
      assertThat(total).isEqualTo(100);
    }
  }

  @Test
  void storedCanonicalisesUrlsWrittenByOtherTools() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file, "{\"url\":\"http://dic.pixiv.net/a/東方Project/\","
        + "\"loaded_at\":\"2026-01-01T00:00:00Z\",\"status\":\"ARTICLE\",\"run_id\":\"r\","
        + "\"scraper_version\":\"0\"}\n");

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThat(sink.stored(Shard.ALL, T0).contains(ArticleUrl.ofTitle("東方Project").canonical()))
          .isTrue();
    }
  }

  private static String line(String url, String loadedAt) {
    return "{\"url\":\"" + url + "\",\"loaded_at\":\"" + loadedAt
        + "\",\"status\":\"ARTICLE\",\"run_id\":\"r\",\"scraper_version\":\"0\"}\n";
  }

  /** A row stamped years ahead (a writer's clock, an edit) kept its article fresh for ever. */
  @Test
  void aRowStampedFurtherAheadThanClockSkewIsNotStored() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Instant soon = Instant.now().plus(java.time.Duration.ofHours(2));
    Files.writeString(file, line("https://dic.pixiv.net/a/a", "2099-01-01T00:00:00Z")
        + line("https://dic.pixiv.net/a/b", "+12026-12-07T13:14:18Z")
        + line("https://dic.pixiv.net/a/c", soon.toString())
        + line("https://dic.pixiv.net/a/d", "2026-01-01T00:00:00Z"));

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      StoredKeys stored = sink.stored(Shard.ALL, T0);
      assertThat(stored.contains(ArticleUrl.ofTitle("a").canonical())).isFalse();
      assertThat(stored.contains(ArticleUrl.ofTitle("b").canonical())).isFalse();
      // Within a day ahead: clock skew between hosts, still stored.
      assertThat(stored.contains(ArticleUrl.ofTitle("c").canonical())).isTrue();
      assertThat(stored.contains(ArticleUrl.ofTitle("d").canonical())).isTrue();
      assertThat(stored.size()).isEqualTo(2);
    }
  }

  /**
   * A run whose clock reads ahead of the system's (RunConfig.clock: an embedder's, a test's)
   * counted the rows it had written itself as not stored, and fetched them all again.
   */
  @Test
  void rowsAheadAreJudgedByTheRunsClock() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Instant runClock = Instant.parse("2099-01-01T00:00:00Z");
    Files.writeString(file, line("https://dic.pixiv.net/a/a", runClock.toString())
        + line("https://dic.pixiv.net/a/b", runClock.plus(java.time.Duration.ofDays(2))
            .toString()));

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      StoredKeys stored = dev.pixivdic.core.run.internal.RunEngine.stored(sink, Shard.ALL,
          runClock, java.time.Duration.ofDays(7));
      assertThat(stored.contains(ArticleUrl.ofTitle("a").canonical())).isTrue();
      assertThat(stored.contains(ArticleUrl.ofTitle("b").canonical())).as("two days ahead")
          .isFalse();
    }
  }

  /** BigQuery's own text of a timestamp (bq extract, bq query --format=json) failed with 65. */
  @Test
  void aTimeInBigQuerysTextFormIsReadAsTheInstantItNames() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file, line("https://dic.pixiv.net/a/a", "2026-01-01 00:00:00")
        + line("https://dic.pixiv.net/a/b", "2026-01-01 00:00:00.123456 UTC")
        + line("https://dic.pixiv.net/a/c", "2026-01-01T09:00:00+09:00")
        + line("https://dic.pixiv.net/a/d", "2026-01-01 08:59:59.999999+09")
        + line("https://dic.pixiv.net/a/e", "2026-01-01"));

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      StoredKeys stored = sink.stored(Shard.ALL, T0);
      for (String t : List.of("a", "b", "c", "e")) {
        assertThat(stored.contains(ArticleUrl.ofTitle(t).canonical())).as(t).isTrue();
      }
      assertThat(stored.contains(ArticleUrl.ofTitle("d").canonical())).isFalse();
      assertThat(sink.stored(Shard.ALL, T0.plusMillis(124)).size()).isZero();
      assertThat(sink.stored(Shard.ALL, T0.plusMillis(123)).size()).isEqualTo(1);
    }
  }

  /**
   * A leap second in an exported row made the whole file corrupt; {@code utc} was refused where
   * {@code t} and {@code z} were read.
   */
  @Test
  void aLeapSecondAndALowerCaseUtcAreReadAsTheInstantsTheyName() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file, line("https://dic.pixiv.net/a/a", "2016-12-31 23:59:60 UTC")
        + line("https://dic.pixiv.net/a/b", "2016-12-31 23:59:60.5")
        + line("https://dic.pixiv.net/a/c", "2026-01-01 00:00:00.123456 utc")
        + line("https://dic.pixiv.net/a/d", "2026-01-01 00:00:00.123456utc"));

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      Instant leap = Instant.parse("2016-12-31T23:59:59Z");
      assertThat(sink.stored(Shard.ALL, leap).size()).isEqualTo(4);
      assertThat(sink.stored(Shard.ALL, leap.plusMillis(500)).size()).isEqualTo(3);
      assertThat(sink.stored(Shard.ALL, leap.plusMillis(501)).size()).isEqualTo(2);
      assertThat(sink.stored(Shard.ALL, T0.plusMillis(123)).size()).isEqualTo(2);
      assertThat(sink.stored(Shard.ALL, T0.plusMillis(124)).size()).isZero();
    }
  }

  @Test
  void aTimeThatIsNoTimestampStillFailsStoredNamingTheLine() throws Exception {
    for (String garbage : List.of("yesterday", "2026-13-01 00:00:00", "2026-01-01 25:00:00",
        "2026-01-01 00:00:00 CET", "2026-1-1x", "2026-01-01 23:59:61")) {
      Path file = tmp.resolve("g" + Math.abs(garbage.hashCode()) + ".ndjson");
      Files.writeString(file, line("https://dic.pixiv.net/a/a", "2026-01-01T00:00:00Z")
          + line("https://dic.pixiv.net/a/b", garbage)
          + line("https://dic.pixiv.net/a/c", "2026-01-01T00:00:00Z"));
      try (NdjsonSink sink = NdjsonSink.open(file)) {
        assertThatThrownBy(() -> sink.stored(Shard.ALL, T0)).as(garbage)
            .isInstanceOf(CorruptSinkException.class)
            .hasMessageContaining(":2: not a row: 'loaded_at' is not an ISO-8601 instant nor"
                + " BigQuery's text of a timestamp: " + garbage);
      }
    }
  }

  @Test
  void storedKeysOfTitlesSpeltDecomposedAreTheirOwnArticle() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file,
        line("https://dic.pixiv.net/a/%E3%82%AB%E3%82%99", "2026-01-01T00:00:00Z"));

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      var stored = sink.stored(Shard.ALL, T0);
      assertThat(stored.contains("https://dic.pixiv.net/a/%E3%82%AB%E3%82%99")).isTrue();
      assertThat(stored.contains("https://dic.pixiv.net/a/%E3%82%AC")).isFalse();
    }
  }

  @Test
  void aDamagedLineInsideTheFileFailsStoredNamingFileAndLine() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file, RowJson.write(row("a", T0)) + "\n{\"title\":\"x\"}\n"
        + RowJson.write(row("b", T0)) + "\n");

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThatThrownBy(() -> sink.stored(Shard.ALL, T0))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("rows.ndjson:2: not a row: no 'url'");
    }
  }

  /** A url that is a number was reported as "no 'url'", sending the reader to look for none. */
  @Test
  void aKeyOrTimeThatIsNoStringIsNamedAsSuch() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    String a = RowJson.write(row("a", T0));
    for (String[] bad : new String[][] {{"{\"url\":5,\"title\":\"x\"}", "'url' is a number"},
        {"{\"url\":[\"u\"]}", "'url' is an array"},
        {a.replace("\"loaded_at\":\"2026-01-01T00:00:00Z\"", "\"loaded_at\":{\"t\":1}"),
            "'loaded_at' is an object"},
        {a.replace("\"loaded_at\":\"2026-01-01T00:00:00Z\"", "\"loaded_at\":true"),
            "'loaded_at' is a boolean"}}) {
      assertThat(bad[0]).isNotEqualTo(a);
      Files.writeString(file, a + "\n" + bad[0] + "\n" + a + "\n");

      try (NdjsonSink sink = NdjsonSink.open(file)) {
        assertThatThrownBy(() -> sink.stored(Shard.ALL, T0)).as(bad[0])
            .hasMessageContaining("rows.ndjson:2: not a row: " + bad[1] + ", not a string");
      }
    }
  }

  @Test
  void aDamagedLineIsNamedAtItsOwnLineNotAtALaterRow() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file, RowJson.write(row("a", T0)) + "\n{\"url\": \"https://dic.pix\n"
        + RowJson.write(row("b", T0)) + "\n" + RowJson.write(row("c", T0)) + "\n");

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThatThrownBy(() -> sink.stored(Shard.ALL, T0))
          .isInstanceOf(CorruptSinkException.class)
          .hasMessageContaining("rows.ndjson:2: not a row: malformed JSON")
          .hasMessageContaining("sed -n '2p'")
          .extracting(e -> ((CorruptSinkException) e).line()).isEqualTo(2L);
    }
  }

  @Test
  void aRowSplitOverTwoLinesIsNotCountedAsStored() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    String b = RowJson.write(row("b", T0));
    int cut = b.indexOf(",\"title\"") + 1;
    Files.writeString(file, RowJson.write(row("a", T0)) + "\n" + b.substring(0, cut) + "\n"
        + b.substring(cut) + "\n" + RowJson.write(row("c", T0)) + "\n");

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThatThrownBy(() -> sink.stored(Shard.ALL, T0))
          .isInstanceOf(CorruptSinkException.class)
          .hasMessageContaining("rows.ndjson:2: not a row: malformed JSON");
    }
  }

  @Test
  void twoRowsOnOneLineAreNotCountedAsStored() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Files.writeString(file, RowJson.write(row("a", T0)) + "\n" + RowJson.write(row("b", T0))
        + RowJson.write(row("c", T0)) + "\n" + RowJson.write(row("d", T0)) + "\n");

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThatThrownBy(() -> sink.stored(Shard.ALL, T0))
          .isInstanceOf(CorruptSinkException.class)
          .hasMessageContaining("rows.ndjson:2: not a row: more than one JSON value on the line");
    }
  }

  @Test
  void aLineOverTheLimitIsNamedWithoutBeingHeld() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    String huge = "{\"url\":\"" + "x".repeat(NdjsonRowSink.MAX_LINE) + "\"}";
    Files.writeString(file, RowJson.write(row("a", T0)) + "\n" + huge + "\n"
        + RowJson.write(row("b", T0)) + "\n");

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThatThrownBy(() -> sink.stored(Shard.ALL, T0))
          .isInstanceOf(CorruptSinkException.class)
          .hasMessageContaining("rows.ndjson:2: not a row: the line is longer than");
    }
  }

  @Test
  void aLineThatIsNotUtf8IsNamed() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    byte[] bad = RowJson.write(row("b", T0)).replace("\"b\"", "\"\u00ff\"")
        .getBytes(StandardCharsets.ISO_8859_1);
    try (var out = Files.newOutputStream(file)) {
      out.write((RowJson.write(row("a", T0)) + "\n").getBytes(StandardCharsets.UTF_8));
      out.write(bad);
      out.write(("\n" + RowJson.write(row("c", T0)) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      assertThatThrownBy(() -> sink.stored(Shard.ALL, T0))
          .isInstanceOf(CorruptSinkException.class)
          .hasMessageContaining("rows.ndjson:2: not a row: malformed JSON: Invalid UTF-8");
    }
  }

  @Test
  void aSecondSinkOnTheSameFileFailsNamingTheFile() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink first = NdjsonSink.open(file)) {
      assertThatThrownBy(() -> NdjsonSink.open(file))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("in use by another run");
      assertThat(first.file()).isEqualTo(file);
    }
    NdjsonSink.open(file).close();
  }

  /**
   * The lock lies beside a name of the file: two runs writing one file through two hard links
   * took a lock each and both appended (80 rows, 6 of them twice, in a hostile run).
   */
  @Test
  void aFileWithASecondNameMadeByAHardLinkIsRefusedByRunsAndDryRunsAlike() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 1));
    }
    byte[] before = Files.readAllBytes(file);
    Path other = Files.createLink(tmp.resolve("other.ndjson"), file);

    for (Path name : List.of(file, other)) {
      assertThatThrownBy(() -> NdjsonSink.open(name)).isInstanceOf(NotOurFileException.class)
          .hasMessageContaining(name + " has 2 names (hard links)")
          .hasMessageContaining("Write to a copy of it");
      assertThatThrownBy(() -> NdjsonSink.openReadOnly(name))
          .isInstanceOf(NotOurFileException.class).hasMessageContaining("hard links");
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(tmp.resolve("other.ndjson.lock")).doesNotExist();
    // A directory has several links too: it is no file, as the run says, not a file of names.
    Path directory = Files.createDirectory(tmp.resolve("dir.ndjson"));
    assertThatThrownBy(() -> NdjsonSink.openReadOnly(directory))
        .isInstanceOf(NotOurFileException.class).hasMessageContaining("is not a regular file");
    assertThatThrownBy(() -> NdjsonSink.open(directory))
        .isInstanceOf(NotOurFileException.class).hasMessageContaining("is not a regular file");
    Files.delete(other);
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("b", 2));
    }
  }

  /**
   * Writing the holder's record through a planted link overwrote its target: a file not ours,
   * destroyed even when the sink was then refused.
   */
  @Test
  void aLockOrTornFileThatIsALinkOrNotOursIsRefusedAndWhatItNamesIsLeftAlone() throws Exception {
    Path precious = Files.writeString(tmp.resolve("precious.txt"), "precious\n");
    Path file = tmp.resolve("rows.ndjson");
    Files.createSymbolicLink(tmp.resolve("rows.ndjson.lock"), precious);

    assertThatThrownBy(() -> NdjsonSink.open(file)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("rows.ndjson.lock is a symbolic link");
    // A dry run, which takes no lock, refuses it as the run does.
    assertThatThrownBy(() -> NdjsonSink.openReadOnly(file)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("rows.ndjson.lock is a symbolic link");
    Files.delete(tmp.resolve("rows.ndjson.lock"));
    Files.writeString(tmp.resolve("rows.ndjson.lock"), "my notes\n");
    assertThatThrownBy(() -> NdjsonSink.open(file)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("does not hold a writer lock").hasMessageNotContaining("my notes");
    assertThat(Files.readString(tmp.resolve("rows.ndjson.lock"))).isEqualTo("my notes\n");
    // It passed on its first four bytes alone.
    Files.writeString(tmp.resolve("rows.ndjson.lock"), "pid list of the build farm\n");
    assertThatThrownBy(() -> NdjsonSink.open(file)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("does not hold a writer lock");
    assertThatThrownBy(() -> NdjsonSink.openReadOnly(file)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("does not hold a writer lock");
    assertThat(Files.readString(tmp.resolve("rows.ndjson.lock")))
        .isEqualTo("pid list of the build farm\n");
    Files.delete(tmp.resolve("rows.ndjson.lock"));

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 1));
    }
    Files.writeString(file, "{\"url\":\"torn", java.nio.file.StandardOpenOption.APPEND);
    Files.createSymbolicLink(tmp.resolve("rows.ndjson.torn"), precious);
    assertThatThrownBy(() -> NdjsonSink.open(file)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("rows.ndjson.torn");
    // A dry run, which would leave the torn line out, refused nothing and passed.
    assertThatThrownBy(() -> NdjsonSink.openReadOnly(file)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("rows.ndjson.torn");
    Files.delete(tmp.resolve("rows.ndjson.torn"));
    Files.createDirectory(tmp.resolve("rows.ndjson.torn"));
    assertThatThrownBy(() -> NdjsonSink.openReadOnly(file)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("rows.ndjson.torn is a symbolic link or not a regular file");
    assertThat(Files.readString(precious)).isEqualTo("precious\n");
  }

  /**
   * A file whose lines end in a carriage return alone (an old Mac's) was one unterminated line,
   * cut whole into FILE.torn as if a crash had torn it: a crash only cuts one line short.
   */
  @Test
  void anUnterminatedTailThatNoCrashLeavesIsDamageNotATear() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    String a = RowJson.write(row("a", T0));
    String b = RowJson.write(row("b", T0));
    List<String> tails = List.of(a + "\r" + b + "\r", a + "\n" + b + "\r" + a,
        a + "\nnot a row at all", a + "\n" + "{\"url\":\"" + "x".repeat(17 << 20));
    for (String content : tails) {
      Files.writeString(file, content);

      assertThatThrownBy(() -> NdjsonSink.open(file)).as(content.substring(0, 20))
          .isInstanceOf(CorruptSinkException.class)
          .hasMessageContaining(content.startsWith(a + "\r") ? "rows.ndjson:1:" : "rows.ndjson:2:")
          .hasMessageContaining("A retry cannot fix this");
      assertThatThrownBy(() -> NdjsonSink.openReadOnly(file))
          .isInstanceOf(CorruptSinkException.class);
      assertThat(Files.readString(file)).isEqualTo(content);
      assertThat(tmp.resolve("rows.ndjson.torn")).doesNotExist();
    }
    // What a power loss leaves where a write was under way is still a tear.
    Files.writeString(file, a + "\n" + "\0".repeat(4096));
    NdjsonSink.open(file).close();
    assertThat(Files.readString(file)).isEqualTo(a + "\n");
  }

  /**
   * A run that failed before its first batch left a new, empty sink and its lock behind. Closing
   * it for a failed run removes only what it made and never wrote: a file it wrote, or one that
   * was there before, stays, and so does a link the user made to the file.
   */
  @Test
  void closingForAFailedRunRemovesOnlyAFileItMadeAndNeverWrote() throws Exception {
    Path made = tmp.resolve("made.ndjson");
    NdjsonSink.open(made).closeRemovingIfUnwritten();
    assertThat(made).doesNotExist();
    assertThat(tmp.resolve("made.ndjson.lock")).doesNotExist();

    Path written = tmp.resolve("written.ndjson");
    NdjsonSink sink = NdjsonSink.open(written);
    sink.write(rows("a", 1));
    sink.closeRemovingIfUnwritten();
    assertThat(readRows(written)).hasSize(1);

    Path before = Files.createFile(tmp.resolve("before.ndjson"));
    NdjsonSink.open(before).closeRemovingIfUnwritten();
    assertThat(before).exists();

    Path target = tmp.resolve("target.ndjson");
    Path link = Files.createSymbolicLink(tmp.resolve("link.ndjson"), target.getFileName());
    NdjsonSink.open(link).closeRemovingIfUnwritten();
    assertThat(target).doesNotExist();
    assertThat(tmp.resolve("target.ndjson.lock")).doesNotExist();
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  /**
   * The directories a sink made on its way stayed after a failed run removed its file. They go
   * now, the deepest first, while empty; one that was there before, or that holds another file,
   * stays, and a sink that was written keeps them all.
   */
  @Test
  void closingForAFailedRunRemovesTheEmptyDirectoriesTheSinkMade() throws Exception {
    NdjsonSink.open(tmp.resolve("a/b/c/rows.ndjson")).closeRemovingIfUnwritten();
    assertThat(tmp.resolve("a")).doesNotExist();

    Files.createDirectories(tmp.resolve("kept"));
    NdjsonSink.open(tmp.resolve("kept/new/rows.ndjson")).closeRemovingIfUnwritten();
    assertThat(tmp.resolve("kept")).isEmptyDirectory();

    NdjsonSink first = NdjsonSink.open(tmp.resolve("shared/x/rows.ndjson"));
    NdjsonSink second = NdjsonSink.open(tmp.resolve("shared/y/rows.ndjson"));
    first.closeRemovingIfUnwritten();
    assertThat(tmp.resolve("shared/x")).doesNotExist();
    assertThat(tmp.resolve("shared/y/rows.ndjson")).exists();
    second.write(rows("a", 1));
    second.closeRemovingIfUnwritten();
    assertThat(readRows(tmp.resolve("shared/y/rows.ndjson"))).hasSize(1);
  }

  /**
   * Through a link to a file not made yet, the first run locked beside the link's name; a second
   * run, once the file existed, locked beside the file, and both wrote it (1,060 rows for 600).
   */
  @Test
  void aLinkToAFileNotMadeYetLocksWhereTheFileWillBe() throws Exception {
    Path file = tmp.resolve("2026-12.ndjson");
    Path link = Files.createSymbolicLink(tmp.resolve("current.ndjson"), file.getFileName());

    try (NdjsonSink first = NdjsonSink.open(link)) {
      first.write(rows("a", 1));
      assertThat(tmp.resolve("2026-12.ndjson.lock")).exists();
      assertThatThrownBy(() -> NdjsonSink.open(file)).isInstanceOf(FileInUseException.class);
      assertThatThrownBy(() -> NdjsonSink.open(link)).isInstanceOf(FileInUseException.class);
    }
    assertThat(tmp.resolve("current.ndjson.lock")).doesNotExist();
    Path loop = Files.createSymbolicLink(tmp.resolve("loop.ndjson"), Path.of("loop.ndjson"));
    assertThatThrownBy(() -> NdjsonSink.open(loop)).isInstanceOf(IOException.class)
        .hasMessageContaining("Too many levels of symbolic links");
  }

  /**
   * Deleting {@code FILE.lock} under a running writer let a second run take a new lock and write
   * the same rows again (39 rows for 20); deleting the file itself sent the rows where no name
   * leads. The writer now stops at its next batch, which it does not write.
   */
  @Test
  void aLockFileDeletedOrReplacedUnderTheWriterStopsItsNextWrite() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    Path lock = tmp.resolve("rows.ndjson.lock");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 2));
      Files.delete(lock);
      assertThatThrownBy(() -> sink.write(rows("b", 2)))
          .isInstanceOf(FileReplacedException.class)
          .hasMessageContaining("rows.ndjson.lock was deleted while this run was writing it")
          .hasMessageContaining("the batch at hand was not written");
    }
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      Files.delete(lock);
      Files.writeString(lock, "pid 1\n");
      assertThatThrownBy(() -> sink.write(rows("d", 1)))
          .isInstanceOf(FileReplacedException.class)
          .hasMessageContaining("rows.ndjson.lock was replaced by another file");
    }
    assertThat(readRows(file)).extracting(ArticleRow::title).containsExactly("a0", "a1");
  }

  @Test
  void aSinkFileDeletedOrReplacedUnderTheWriterStopsItsNextWrite() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 1));
      Files.delete(file);
      assertThatThrownBy(() -> sink.write(rows("b", 1)))
          .isInstanceOf(FileReplacedException.class)
          .hasMessageContaining("rows.ndjson was deleted while this run was writing it");
    }
    Path other = tmp.resolve("other.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(other)) {
      sink.write(rows("a", 1));
      Path moved = tmp.resolve("moved.ndjson");
      Files.move(other, moved);
      Files.copy(moved, other);
      assertThatThrownBy(() -> sink.write(rows("b", 1)))
          .isInstanceOf(FileReplacedException.class)
          .hasMessageContaining("other.ndjson was replaced by another file");
    }
    assertThat(readRows(tmp.resolve("other.ndjson"))).extracting(ArticleRow::title)
        .containsExactly("a0");
  }

  /**
   * Emptied ({@code : > rows.ndjson}) or cut shorter ({@code truncate -s 100}) while a run wrote
   * it, the file took the next batch at its new end, and the rows written before were gone
   * without a word. The writer now stops at its next batch, which it does not write.
   */
  @Test
  void aSinkFileCutInPlaceUnderTheWriterStopsItsNextWrite() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 3));
      Files.write(file, new byte[0]); // as ": > rows.ndjson": the same file, emptied
      assertThatThrownBy(() -> sink.write(rows("b", 1)))
          .isInstanceOf(FileReplacedException.class)
          .hasMessageContaining("rows.ndjson was cut in place under the writer")
          .hasMessageContaining("rows already written to it may be gone")
          .hasMessageContaining("the batch at hand was not written");
    }
    assertThat(file).isEmptyFile();

    Path other = tmp.resolve("other.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(other)) {
      sink.write(rows("a", 3));
      try (FileChannel ch = FileChannel.open(other, StandardOpenOption.WRITE)) {
        ch.truncate(100); // as "truncate -s 100"
      }
      assertThatThrownBy(() -> sink.write(rows("b", 1)))
          .isInstanceOf(FileReplacedException.class)
          .hasMessageContaining("other.ndjson was cut in place under the writer");
    }
    assertThat(Files.size(other)).isEqualTo(100);
  }

  /**
   * Another program appended a line without its line end mid-run ({@code printf '{"url":...'
   * >> rows.ndjson}): the next batch was glued to it, the run counted a row that did not read
   * back, and the next run refused the file at that line. The writer now stops before that
   * batch, writing none of it; every row it wrote reads back, and the next run sets the part
   * line aside as a torn tail and stores the batch once.
   */
  @Test
  void aLineAnotherProgramLeftUnterminatedStopsTheNextWriteSoNoRowIsGluedToIt()
      throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    String whole = RowJson.write(row("by-hand", T0)) + "\n";
    String part = "{\"url\":\"https://dic.pixiv.net/a/x\",\"loa";
    long start;
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 2));
      Files.writeString(file, whole + part, StandardOpenOption.APPEND);
      start = Files.size(file) - part.length();
      assertThatThrownBy(() -> sink.write(rows("b", 2)))
          .isInstanceOf(FileReplacedException.class)
          .hasMessageContaining("rows.ndjson was appended to by another program")
          .hasMessageContaining("ends in a line without a line end (bytes " + start + " to "
              + (start + part.length()) + ";")
          .hasMessageContaining("No row of the batch at hand was written")
          .hasMessageContaining("rows.ndjson.torn");
      assertThatThrownBy(() -> sink.write(rows("c", 1)))
          .isInstanceOf(FileReplacedException.class);
    }
    assertThat(Files.readString(file)).endsWith("}\n" + part);
    assertThat(Files.readString(file).substring(0, (int) start).lines().map(RowJson::read))
        .extracting(ArticleRow::title).containsExactly("a0", "a1", "by-hand");

    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("b", 2));
    }
    assertThat(readRows(file)).extracting(ArticleRow::title)
        .containsExactly("a0", "a1", "by-hand", "b0", "b1");
    assertThat(LogFileCheck.tornFile(file)).hasContent(part);
  }

  /** A line another program appends in two writes is taken once it is finished. */
  @Test
  void aLineAnotherProgramFinishedBeforeTheNextBatchIsKeptAndTheBatchFollowsIt()
      throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    String whole = RowJson.write(row("by-hand", T0)) + "\n";
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(rows("a", 1));
      Files.writeString(file, whole.substring(0, 20), StandardOpenOption.APPEND);
      assertThatThrownBy(() -> sink.write(rows("b", 1)))
          .isInstanceOf(FileReplacedException.class);
      Files.writeString(file, whole.substring(20), StandardOpenOption.APPEND);
      sink.write(rows("b", 1));
    }
    assertThat(readRows(file)).extracting(ArticleRow::title)
        .containsExactly("a0", "by-hand", "b0");
  }

  @Test
  void aFileThatIsNotOursIsRefusedWithoutQuotingWhatItHolds() throws Exception {
    Path env = Files.writeString(tmp.resolve(".env"),
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");

    assertThatThrownBy(() -> NdjsonSink.open(env)).isInstanceOf(NotOurFileException.class)
        .hasMessageContaining("its first line is not one pixiv writes")
        .hasMessageNotContaining("wJalrXUtnFEMI");
  }

  @Test
  void retryingTheBatchJustWrittenStoresItOnce() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      List<ArticleRow> batch = rows("a", 2);
      sink.write(batch);
      sink.write(batch);
      sink.write(rows("b", 1));
      sink.write(batch);
    }

    assertThat(readRows(file)).extracting(ArticleRow::title)
        .containsExactly("a0", "a1", "b0", "a0", "a1");
  }

  @Test
  void aClosedSinkRefusesWrites() throws Exception {
    NdjsonSink sink = NdjsonSink.open(tmp.resolve("rows.ndjson"));
    sink.close();
    sink.close();

    assertThatThrownBy(() -> sink.write(rows("a", 1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void rowsAreWrittenAsUtf8() throws Exception {
    Path file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(List.of(row("初音ミク", T0)));
    }
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).contains("初音ミク");
  }
}
