package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.WorkItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvOpenQuoteTest {

  private static final String BASE = "https://dic.pixiv.net/a/";

  @TempDir Path tmp;

  /** A header, 100 rows, {@code stray} as line 102, then {@code after} rows. */
  private Path csv(String stray, int after) throws IOException {
    StringBuilder text = new StringBuilder("url,name\n");
    for (int i = 0; i < 100; i++) {
      text.append(BASE).append("m-").append(i).append(",n").append(i).append('\n');
    }
    text.append(stray).append('\n');
    for (int i = 100; i < 100 + after; i++) {
      text.append(BASE).append("m-").append(i).append(",n").append(i).append('\n');
    }
    return Files.writeString(tmp.resolve("src.csv"), text);
  }

  private static List<WorkItem> read(Path file) throws IOException {
    try (Stream<WorkItem> items = FileSource.builder(file).build().items(Shard.ALL)) {
      return items.toList();
    }
  }

  private static BadSourceLineException failure(Path file) {
    Throwable thrown = catchThrowable(() -> read(file));
    assertThat(thrown).isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(BadSourceLineException.class);
    return (BadSourceLineException) thrown.getCause();
  }

  @Test
  void aStrayQuoteClosedManyRowsLaterStopsTheSourceAtTheLineWhereItOpened() throws Exception {
    Path file = csv(BASE + "mq,\"Let's \"\"go", 300);
    Files.writeString(file, BASE + "end,closed\"\n" + BASE + "last,x\n",
        StandardOpenOption.APPEND);

    BadSourceLineException e = failure(file);

    assertThat(e.getMessage()).contains("src.csv:102").contains("a quote left open");
  }

  @Test
  void aQuoteLeftOpenBeforeMegabytesOfRowsStopsTheSourceTheSameWay() throws Exception {
    Path file = csv(BASE + "mq,\"Let's \"\"go", 40_000);

    BadSourceLineException e = failure(file);

    assertThat(e.getMessage()).contains("src.csv:102").contains("a quote left open");
  }

  @Test
  void aQuoteLeftOpenInTheUrlCellBeforeMegabytesOfRowsNamesItsLine() throws Exception {
    Path file = csv("\"" + BASE + "mq,x", 40_000);

    assertThatThrownBy(() -> read(file)).hasMessageContaining("src.csv:102")
        .hasMessageContaining("a quote left open");
  }

  @Test
  void aQuoteLeftOpenAtTheEndOfASmallFileStopsItToo() throws Exception {
    Path file = csv(BASE + "mq,\"Let's \"\"go", 3);

    assertThat(failure(file).getMessage()).contains("src.csv:102");
  }

  @Test
  void aQuotedFieldOverALineEndThatClosesIsRead() throws Exception {
    Path file = csv(BASE + "mq,\"two\nlines\"", 3);

    assertThat(read(file)).hasSize(104);
  }
}
