package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.WorkItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
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
  void aListWrittenInPlaceWhileReadStopsTheStreamAtItsEnd() throws Exception {
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
}
