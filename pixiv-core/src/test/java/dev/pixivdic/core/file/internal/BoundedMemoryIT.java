package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A million-line source and a million-row sink file read in a JVM with a 64 MB heap. */
class BoundedMemoryIT {

  private static final int LINES = 1_000_000;

  @TempDir Path tmp;

  @Test
  void aMillionLineSourceAndAMillionRowSinkFitIn64Megabytes() throws Exception {
    Path list = tmp.resolve("urls.txt");
    try (BufferedWriter w = Files.newBufferedWriter(list, StandardCharsets.UTF_8)) {
      w.write("# a million articles, one repeated and one bad\n");
      for (int i = 0; i < LINES; i++) {
        w.write("https://dic.pixiv.net/a/%E8%A8%98%E4%BA%8B" + i + "\n");
      }
      w.write("http://dic.pixiv.net/a/%e8%a8%98%e4%ba%8b7/\n");
      w.write("https://example.com/a/not-an-article\n");
    }
    Path rows = tmp.resolve("rows.ndjson");
    try (BufferedWriter w = Files.newBufferedWriter(rows, StandardCharsets.UTF_8)) {
      for (int i = 0; i < LINES; i++) {
        // Every tenth row is older than the window.
        String loadedAt = i % 10 == 0 ? "2025-12-31T00:00:00Z" : "2026-01-02T00:00:00Z";
        w.write("{\"url\":\"https://dic.pixiv.net/a/%E8%A8%98%E4%BA%8B" + i
            + "\",\"title\":\"記事" + i + "\",\"child_articles\":[\"a\",\"b\"],\"loaded_at\":\""
            + loadedAt + "\",\"status\":\"" + (i % 7 == 0 ? "NOT_FOUND" : "ARTICLE")
            + "\",\"scraper_version\":\"t\",\"run_id\":\"r\"}\n");
      }
    }

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        BoundedMemoryCheck.class.getName(),
        list.toString(), rows.toString(), "2026-01-01T00:00:00Z"));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("items=" + LINES + " duplicates=1 problems=1 stored="
        + (LINES - LINES / 10) + " maxHeapMiB=");
    int maxHeap = Integer.parseInt(output.replaceAll("(?s).*maxHeapMiB=(\\d+).*", "$1"));
    assertThat(maxHeap).isLessThanOrEqualTo(64);
  }
}
