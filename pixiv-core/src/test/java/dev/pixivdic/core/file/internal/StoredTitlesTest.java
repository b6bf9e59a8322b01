package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.internal.RowJson;
import org.junit.jupiter.api.Test;

/**
 * What a version that took titles with control characters stored still reads back: an archive's
 * index line and a sink's row are recognised as ours (else the first line would make the file
 * "not ours" and the last one a torn tail), though the sources refuse such titles now.
 */
class StoredTitlesTest {

  private static final String URL = "https://dic.pixiv.net/a/foo%09bar";

  @Test
  void anArchiveIndexLineWithATabInItsTitleReadsBackAsItWasWritten() {
    String line = "{\"url\":\"" + URL + "\",\"http_status\":404,\"content_type\":\"text/html\","
        + "\"fetched_at\":\"2026-01-05T04:00:00Z\",\"sha256\":\"" + "ab".repeat(32) + "\"}";

    PageArchive.Entry entry = ArchiveEntryCodec.parse(line);

    assertThat(entry.url().title()).isEqualTo("foo\tbar");
    assertThat(ArchiveEntryCodec.parse(ArchiveEntryCodec.toLine(entry))).isEqualTo(entry);
  }

  @Test
  void aSinkRowWithATabInItsTitleReadsBack() {
    ArticleRow row = RowJson.read("{\"url\":\"" + URL + "\",\"title\":\"foo\\tbar\"}");

    assertThat(row.articleUrl().canonical()).isEqualTo(URL);
    assertThat(RowJson.read(RowJson.write(row))).isEqualTo(row);
  }
}
