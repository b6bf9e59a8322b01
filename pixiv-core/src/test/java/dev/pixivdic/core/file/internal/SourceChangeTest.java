package dev.pixivdic.core.file.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.resolve.NameItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceChangeTest {

  private static final String BASE = "https://dic.pixiv.net/a/";

  @TempDir Path tmp;

  private Path list(String name, int lines) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= lines; i++) {
      text.append(BASE).append("chg-b").append(i).append('\n');
    }
    return Files.writeString(tmp.resolve(name), text);
  }

  /** Reads the first item, lets {@code change} act on the file, then reads the rest. */
  private static List<WorkItem> readChangingAfterFirst(Path file, IoAction change)
      throws IOException {
    List<WorkItem> items = new ArrayList<>();
    try (Stream<WorkItem> stream = FileSource.builder(file).build().items(Shard.ALL)) {
      Iterator<WorkItem> it = stream.iterator();
      items.add(it.next());
      change.run();
      it.forEachRemaining(items::add);
    }
    return items;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  @Test
  void aListRewrittenShorterWhileReadStopsTheStreamNamingTheFile() throws Exception {
    Path file = list("urls.txt", 5000);

    assertThatThrownBy(() -> readChangingAfterFirst(file,
        () -> Files.writeString(file, BASE + "new1\n" + BASE + "new2\n")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("was cut short while this run read it");
  }

  @Test
  void aListEmptiedWhileReadStopsTheStream() throws Exception {
    Path file = list("urls.txt", 5000);

    assertThatThrownBy(() -> readChangingAfterFirst(file, () -> Files.write(file, new byte[0])))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("now holds 0 bytes");
  }

  @Test
  void aListWrittenInPlaceWhileReadStopsTheStream() throws Exception {
    Path file = list("urls.txt", 5000);
    FileTime opened = Files.getLastModifiedTime(file);

    assertThatThrownBy(() -> readChangingAfterFirst(file, () -> {
      Files.writeString(file, Files.readString(file) + BASE + "more\n");
      Files.setLastModifiedTime(file, FileTime.fromMillis(opened.toMillis() + 5000));
    }))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("was written while this run read it");
  }

  @Test
  void aListReplacedByARenameIsReadWholeAsItWasOpened() throws Exception {
    Path file = list("urls.txt", 5000);
    Path next = list("next.txt", 2);

    List<WorkItem> items = readChangingAfterFirst(file,
        () -> Files.move(next, file, StandardCopyOption.REPLACE_EXISTING));

    assertThat(items).hasSize(5000);
  }

  @Test
  void anUnchangedListIsReadToItsEnd() throws Exception {
    Path file = list("urls.txt", 5000);

    assertThat(readChangingAfterFirst(file, () -> { })).hasSize(5000);
  }

  // A list rewritten in place while it is read: what the run gets after the change.

  /** Lines enough for a dozen refills of 64 KiB, of which the first item reads two. */
  private static final int MANY = 20_000;

  /** The keys a stream gave, and the failure that ended it (null when it ended). */
  private record Reading(List<String> keys, Throwable failure) { }

  /**
   * Reads the first item (the buffers fill), lets {@code change} act on the file, then reads
   * on until the stream ends or fails.
   */
  private static <T> Reading readChangingAfterFirst(Source<T> source, Function<T, String> key,
      IoAction change) throws IOException {
    List<String> keys = new ArrayList<>();
    try (Stream<T> stream = source.items(Shard.ALL)) {
      Iterator<T> it = stream.iterator();
      keys.add(key.apply(it.next()));
      change.run();
      try {
        it.forEachRemaining(item -> keys.add(key.apply(item)));
      } catch (UncheckedIOException e) {
        return new Reading(keys, e);
      }
    }
    return new Reading(keys, null);
  }

  private static String lines(String header, IntFunction<String> line, int count) {
    StringBuilder text = new StringBuilder(header);
    for (int i = 1; i <= count; i++) {
      text.append(line.apply(i)).append('\n');
    }
    return text.toString();
  }

  /**
   * Rewrites {@code file} in place (the same file, truncated and written, as {@code >} does)
   * with {@code bytes}, its modification time set apart from the one it had when opened (a
   * file system's clock may not tick between the two writes).
   */
  private static IoAction rewrite(Path file, byte[] bytes) throws IOException {
    FileTime opened = Files.getLastModifiedTime(file);
    Object key = Files.readAttributes(file, BasicFileAttributes.class)
        .fileKey();
    return () -> {
      Files.write(file, bytes);
      Files.setLastModifiedTime(file, FileTime.fromMillis(opened.toMillis() + 5000));
      assertThat(Files.readAttributes(file, BasicFileAttributes.class)
          .fileKey()).as("rewritten in place").isEqualTo(key);
    };
  }

  private static Set<String> urls(String prefix, int count) {
    Set<String> urls = new HashSet<>();
    for (int i = 1; i <= count; i++) {
      urls.add(BASE + prefix + i);
    }
    return urls;
  }

  private static void assertStoppedBeforeTheNewList(Reading reading, Path file,
      Set<String> old) {
    assertThat(reading.failure()).as("the change stops the stream")
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("while this run read it")
        .hasMessageContaining("the run stops");
    assertThat(reading.keys().stream().filter(k -> !old.contains(k)).limit(5))
        .as("keys read that are no whole line of the list opened").isEmpty();
    assertThat(reading.keys()).hasSizeLessThan(old.size());
  }

  @Test
  void aListRewrittenInPlaceWithAsManyBytesYieldsNoLineOfTheNewList() throws Exception {
    Path file = Files.writeString(tmp.resolve("urls.txt"),
        lines("", i -> BASE + "chg-b" + i, MANY));
    byte[] next = lines("", i -> BASE + "chg-n" + i, MANY).getBytes(UTF_8);
    assertThat(next).hasSize((int) Files.size(file));

    Reading reading = readChangingAfterFirst(FileSource.open(file), WorkItem::key,
        rewrite(file, next));

    assertStoppedBeforeTheNewList(reading, file, urls("chg-b", MANY));
  }

  @Test
  void aListTruncatedAndRewrittenLongerYieldsNoLineOfTheNewListNorATornOne() throws Exception {
    Path file = Files.writeString(tmp.resolve("urls.txt"),
        lines("", i -> BASE + "chg-b" + i, MANY));
    byte[] next = lines("", i -> BASE + "another-list-" + i * 7, 2 * MANY).getBytes(UTF_8);

    Reading reading = readChangingAfterFirst(FileSource.open(file), WorkItem::key,
        rewrite(file, next));

    assertStoppedBeforeTheNewList(reading, file, urls("chg-b", MANY));
  }

  @Test
  void aCsvSourceRewrittenInPlaceYieldsNoRowOfTheNewFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("urls.csv"),
        lines("url,memo\n", i -> BASE + "chg-b" + i + ",memo " + i, MANY));
    byte[] next = lines("url,memo\n", i -> BASE + "chg-n" + i + ",note " + i, MANY)
        .getBytes(UTF_8);

    Reading reading = readChangingAfterFirst(FileSource.open(file), WorkItem::key,
        rewrite(file, next));

    assertStoppedBeforeTheNewList(reading, file, urls("chg-b", MANY));
  }

  @Test
  void anNdjsonSourceRewrittenInPlaceYieldsNoRecordOfTheNewFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("urls.ndjson"),
        lines("", i -> "{\"url\":\"" + BASE + "chg-b" + i + "\"}", MANY));
    byte[] next = lines("", i -> "{\"url\":\"" + BASE + "chg-" + i + "\"}", MANY)
        .getBytes(UTF_8);

    Reading reading = readChangingAfterFirst(FileSource.open(file), WorkItem::key,
        rewrite(file, next));

    assertStoppedBeforeTheNewList(reading, file, urls("chg-b", MANY));
  }

  @Test
  void aGzipListRewrittenInPlaceStopsAsChangedNotAsDamaged() throws Exception {
    Path file = tmp.resolve("urls.txt.gz");
    Files.write(file, gzip(lines("", i -> BASE + "chg-b" + i, 10 * MANY)));
    byte[] next = gzip(lines("", i -> BASE + "chg-n" + (i * 31 % 1000), 10 * MANY));

    Reading reading = readChangingAfterFirst(FileSource.open(file), WorkItem::key,
        rewrite(file, next));

    assertStoppedBeforeTheNewList(reading, file, urls("chg-b", 10 * MANY));
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(UTF_8));
    }
    return bytes.toByteArray();
  }

  @Test
  void aNameListRewrittenInPlaceGivesResolveNoNameOfTheNewListNorATornOne() throws Exception {
    Path file = Files.writeString(tmp.resolve("names.txt"),
        lines("", i -> "old name " + i, MANY));
    byte[] next = lines("", i -> "a name of the list that replaced it, " + i, MANY)
        .getBytes(UTF_8);
    Set<String> old = new HashSet<>();
    for (int i = 1; i <= MANY; i++) {
      old.add("old name " + i);
    }

    Reading reading = readChangingAfterFirst(
        NameSource.of(FileSource.open(file), NameSource.DEFAULT_COLUMN), NameItem::name,
        rewrite(file, next));

    assertStoppedBeforeTheNewList(reading, file, old);
  }

  @Test
  void aCsvNameListRewrittenInPlaceGivesResolveNoNameOfTheNewList() throws Exception {
    Path file = Files.writeString(tmp.resolve("names.csv"),
        lines("middle_class_ip_name,memo\n", i -> "old name " + i + ",m", MANY));
    byte[] next = lines("middle_class_ip_name,memo\n", i -> "new name " + i + ",m", MANY)
        .getBytes(UTF_8);
    Set<String> old = new HashSet<>();
    for (int i = 1; i <= MANY; i++) {
      old.add("old name " + i);
    }

    Reading reading = readChangingAfterFirst(
        NameSource.of(FileSource.open(file), NameSource.DEFAULT_COLUMN), NameItem::name,
        rewrite(file, next));

    assertStoppedBeforeTheNewList(reading, file, old);
  }

  @Test
  void aListReplacedByARenameAfterTheFirstRefillIsStillReadWhole() throws Exception {
    Path file = Files.writeString(tmp.resolve("urls.txt"),
        lines("", i -> BASE + "chg-b" + i, MANY));
    Path next = Files.writeString(tmp.resolve("urls.txt.new"),
        lines("", i -> BASE + "chg-n" + i, MANY));

    Reading reading = readChangingAfterFirst(FileSource.open(file), WorkItem::key,
        () -> Files.move(next, file, StandardCopyOption.REPLACE_EXISTING));

    assertThat(reading.failure()).isNull();
    assertThat(reading.keys()).hasSize(MANY).containsAll(urls("chg-b", MANY));
  }
}
