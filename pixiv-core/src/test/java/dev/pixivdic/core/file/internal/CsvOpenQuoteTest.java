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

  // Two stray quotes a few rows apart: the rows between them were one cell, read in silence.

  @Test
  void twoStrayQuotesInTheUrlColumnAFewRowsApartStopTheSourceAtTheFirst() throws Exception {
    Path file = csv("\"" + BASE + "mq,1", 5);
    Files.writeString(file, BASE + "foo\",1\n" + BASE + "last,x\n",
        StandardOpenOption.APPEND);

    BadSourceLineException e = failure(file);

    assertThat(e.line()).isEqualTo(102);
    assertThat(e.getMessage()).contains("src.csv:102")
        .contains("the quoted 'url' cell opened here runs over a line end")
        .contains("a quote left open").contains("close the quote where the cell ends");
  }

  @Test
  void aQuotedUrlCellOverOneLineEndIsAQuoteLeftOpenInStrictModeToo() throws Exception {
    Path file = csv("\"" + BASE + "mq\n" + BASE + "mr\",1", 3);

    Throwable thrown = catchThrowable(() -> {
      try (Stream<WorkItem> items = FileSource.builder(file).strict(true).build()
          .items(Shard.ALL)) {
        items.toList();
      }
    });

    assertThat(thrown).hasCauseInstanceOf(BadSourceLineException.class)
        .hasMessageContaining("src.csv:102").hasMessageContaining("a quote left open");
  }

  @Test
  void twoStrayQuotesInAnotherColumnAFewRowsApartStopTheSourceNamingASwallowedRow()
      throws Exception {
    Path file = csv(BASE + "mq,\"Let's go", 5);
    Files.writeString(file, BASE + "foo,bar\"\n" + BASE + "last,x\n",
        StandardOpenOption.APPEND);

    BadSourceLineException e = failure(file);

    assertThat(e.line()).isEqualTo(102);
    assertThat(e.getMessage()).contains("src.csv:102")
        .contains("(column 'name') runs over line ends, and its lines 103 to 108 read as rows")
        .contains("It swallowed lines 103 to 108")
        .contains("a quote left open").contains("double it (\"\")");
  }

  // A stray quote closed by the quote that opens a later row: the parser breaks off after it,
  // and the cell's text, rows and all, never reached a token; it was one bad line.

  @Test
  void aStrayQuoteClosedByTheQuoteOpeningTheNextRowStopsTheSourceNamingThatRow()
      throws Exception {
    Path file = Files.writeString(tmp.resolve("in4.csv"), "url,middle_class_ip_name\n"
        + "\"" + BASE + "whole-f1\",\"a\"\n"
        + "\"" + BASE + "whole-f2\",\"unterminated\n"
        + "\"" + BASE + "whole-f3\",\"b\"\n"
        + "\"" + BASE + "whole-f4\",\"c\"\n");

    BadSourceLineException e = failure(file);

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("in4.csv:3")
        .contains("(column 'middle_class_ip_name') runs over line ends, and its line 4 reads as"
            + " a row").contains("a quote left open").contains("It swallowed line 4");
  }

  @Test
  void aStrayQuoteAmongUnquotedUrlsClosedByAQuotedRowNamesEverySwallowedRow() throws Exception {
    Path file = Files.writeString(tmp.resolve("in5.csv"), "url,name\n"
        + BASE + "a,x\n" + BASE + "b,\"unterminated\n" + BASE + "c,y\n" + BASE + "d,z\n"
        + "\"" + BASE + "e\",w\n" + BASE + "f,v\n");

    BadSourceLineException e = failure(file);

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("in5.csv:3")
        .contains("its lines 4 to 6 read as rows").contains("It swallowed lines 4 to 6");
  }

  @Test
  void aStrayQuoteInTheUrlColumnClosedByTheNextQuotedRowStopsTheSource() throws Exception {
    Path file = Files.writeString(tmp.resolve("src.csv"), "url,name\n"
        + "\"" + BASE + "a,x\n" + "\"" + BASE + "b\",y\n" + BASE + "c,z\n");

    BadSourceLineException e = failure(file);

    assertThat(e.getMessage()).contains("src.csv:2")
        .contains("the quoted 'url' cell opened here runs over a line end");
  }

  @Test
  void aCellOverLineEndsThatBreaksOffWithoutSwallowingARowStaysOneBadLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("src.csv"), "url,memo\n"
        + BASE + "a,\"one\ntwo\"x\n" + BASE + "b,y\n");

    assertThat(read(file)).extracting(WorkItem::key).containsExactly(BASE + "b");
  }

  @Test
  void swallowedRowsAreToldByTheirUrlWhereverTheUrlColumnStands() throws Exception {
    Path file = tmp.resolve("src.csv");
    Files.writeString(file, "name,url\nn1," + BASE + "a\n\"n2 stray," + BASE + "b\n"
        + "n3," + BASE + "c\nn4\"," + BASE + "d\n");

    BadSourceLineException e = failure(file);

    assertThat(e.getMessage()).contains("src.csv:3").contains("its line 4 reads as a row");
  }

  @Test
  void aQuotedNameCellOverALineEndStopsResolvesNameList() throws Exception {
    Path file = tmp.resolve("names.csv");
    Files.writeString(file, "middle_class_ip_name,memo\nfirst,m\n\"second,m\nthird,m\n"
        + "fourth\",m\nfifth,m\n");

    Throwable thrown = catchThrowable(() -> {
      try (Stream<?> names = NameSource.of(FileSource.open(file), NameSource.DEFAULT_COLUMN)
          .items(Shard.ALL)) {
        names.toList();
      }
    });

    assertThat(thrown).hasCauseInstanceOf(BadSourceLineException.class)
        .hasMessageContaining("names.csv:3")
        .hasMessageContaining("the quoted 'middle_class_ip_name' cell opened here runs over a"
            + " line end");
  }

  @Test
  void quotedCommasDoubledQuotesAndTextOverLinesInAnotherColumnAreRead() throws Exception {
    Path file = tmp.resolve("src.csv");
    Files.writeString(file, "url,memo,n\r\n"
        + "\"" + BASE + "a\",\"one, two\",1\r\n"
        + BASE + "b,\"she said \"\"hi\"\"\",2\r\n"
        + BASE + "c,\"first line\r\nsecond, with a comma\r\nsee " + BASE + "x\r\n\"\"q\"\"\",3\r\n"
        + BASE + "d,\"\",4\r\n");

    List<WorkItem> items = read(file);

    assertThat(items).extracting(WorkItem::key)
        .containsExactly(BASE + "a", BASE + "b", BASE + "c", BASE + "d");
    assertThat(items.get(0).attributes()).containsEntry("memo", "one, two");
    assertThat(items.get(1).attributes()).containsEntry("memo", "she said \"hi\"");
    assertThat(items.get(2).attributes()).containsEntry("memo",
        "first line\r\nsecond, with a comma\r\nsee " + BASE + "x\r\n\"q\"");
    assertThat(items.get(3).attributes()).doesNotContainKey("memo");
  }
}
