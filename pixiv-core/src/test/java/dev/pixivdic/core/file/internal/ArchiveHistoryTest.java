package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveHistoryTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ArticleUrl A = ArticleUrl.ofTitle("初音ミク");
  private static final ArticleUrl B = ArticleUrl.ofTitle("pixiv");
  private static final ArticleUrl C = ArticleUrl.ofTitle("鏡音リン");

  @TempDir Path dir;

  private static byte[] page(String s) {
    return ("<html><body>" + s + "</body></html>").getBytes(StandardCharsets.UTF_8);
  }

  private static Instant week(int n) {
    return T0.plus(Duration.ofDays(7L * n));
  }

  private static List<PageArchive.Entry> all(Stream<PageArchive.Entry> entries) {
    try (entries) {
      return entries.toList();
    }
  }

  /** Three weeks of A, two of B (the second a failed fetch), one of C; interleaved. */
  private void write() throws IOException {
    try (PageArchive archive = PageArchive.open(dir)) {
      archive.put(A, 200, "text/html", week(1), page("a1"));
      archive.put(B, 200, "text/html", week(1), page("b1"));
      archive.put(C, 200, "text/html", week(1), page("c1"));
      archive.put(A, 404, "text/html", week(2), page("a2"));
      archive.put(B, 503, "text/html", week(2), page("b2"));
      archive.put(A, 200, "text/html", week(3), page("a3"));
    }
  }

  private void checkHistory() throws IOException {
    try (PageArchive archive = PageArchive.openReadOnly(dir);
        ArchiveHistory history = archive.history()) {
      List<PageArchive.Entry> latest = all(history.latest());
      assertThat(latest).extracting(PageArchive.Entry::url).containsExactly(B, C, A);
      assertThat(latest).extracting(PageArchive.Entry::fetchedAt)
          .containsExactly(week(1), week(1), week(3));
      assertThat(latest).isEqualTo(all(archive.latest()));
      // Newest first; the failed fetch of B is no page, and C has none before its only one.
      List<PageArchive.Entry> olderA = all(history.older(A));
      assertThat(olderA).extracting(PageArchive.Entry::fetchedAt)
          .containsExactly(week(2), week(1));
      assertThat(archive.read(olderA.get(0))).isEqualTo(page("a2"));
      assertThat(archive.read(olderA.get(1))).isEqualTo(page("a1"));
      assertThat(all(history.older(B))).isEmpty();
      assertThat(all(history.older(C))).isEmpty();
      assertThat(all(history.older(ArticleUrl.ofTitle("none")))).isEmpty();
      assertThatThrownBy(history::latest).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void olderPagesOfAUrlAreFoundNewestFirst() throws IOException {
    write();
    checkHistory();
  }

  @Test
  void linesEndingInCrLfOrWithMultiByteTextAndBlankLinesAreFoundAtTheirPlace()
      throws IOException {
    write();
    Path index = PageArchive.indexOf(dir);
    String text = Files.readString(index);
    // Blank lines between lines, CRLF line ends: the byte places shift.
    Files.writeString(index, text.replace("\n", "\r\n\r\n"));
    checkHistory();
  }

  @Test
  void aLineDamagedAfterTheHistoryWasReadFailsTheReadingOfIt() throws IOException {
    write();
    try (PageArchive archive = PageArchive.openReadOnly(dir);
        ArchiveHistory history = archive.history()) {
      // The first line (A's first page) overwritten in place, as a disk fault would.
      byte[] bytes = Files.readAllBytes(PageArchive.indexOf(dir));
      for (int i = 0; bytes[i] != '\n'; i++) {
        bytes[i] = 'x';
      }
      Files.write(PageArchive.indexOf(dir), bytes);

      assertThatThrownBy(() -> all(history.older(A))).isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(CorruptArchiveException.class)
          .hasMessageContaining("not an archive entry");
    }
  }

  @Test
  void aDamagedLineIsNamedByItsNumber() throws IOException {
    write();
    Path index = PageArchive.indexOf(dir);
    Files.writeString(index, Files.readString(index).replaceFirst("\n", "\n{oops\n"));
    try (PageArchive archive = PageArchive.openReadOnly(dir)) {
      assertThatThrownBy(archive::history).isInstanceOf(CorruptArchiveException.class)
          .hasMessageContaining("line 2: not an archive entry");
    }
  }
}
