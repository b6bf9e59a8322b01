package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.support.testing.WatchedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real {@code pixiv} process whose options are read and checked but whose run has
 * not started: a scheduler that reads {@code --report} found none (or last week's), though the
 * run had been stopped. The process waits for standard input, which the test never writes: the
 * signal provably comes inside the start-up, whatever the machine's speed.
 */
class SignalBeforeRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void sigtermBeforeTheRunStartsWritesAnInterruptedReportAndEndsWithTheLineAnd143()
      throws Exception {
    Path report = dir.resolve("report.json");
    // A report an earlier run left: read after this run, it would tell of that one.
    Files.writeString(report, "{\"run_id\": \"last-week\", \"stop_reason\": \"COMPLETED\","
        + " \"exit_code\": 0}");
    Path stderr = dir.resolve("stderr.txt");
    Path classes = dir.resolve("classes.txt");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(),
        "scrape", "--source", "-", "--sink", dir.resolve("rows.ndjson").toString(),
        "--report", report.toString(), "--run-id", "week-50", "--shard", "3/40",
        "--origin", "http://127.0.0.1:9", "--progress", "none"));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(stderr.toFile());
    pb.environment().remove("PIXIV_LOG_FORMAT");
    Process p = pb.start();
    try {
      // Standard input stays open and empty: the run waits for its source's first line.
      WatchedFile.awaitContaining(stderr, "reading the source from standard input",
          Duration.ofSeconds(60));
      p.destroy(); // SIGTERM

      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
      String err = Files.readString(stderr);
      assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.SIGTERM);
      List<String> lines = err.strip().lines().toList();
      String last = lines.get(lines.size() - 1);
      assertThat(last).as(err).startsWith(FinalLine.MARKER + " ");
      JsonNode line = JSON.readTree(last.substring(FinalLine.MARKER.length() + 1));
      assertThat(line.path("stop_reason").asText()).isEqualTo("INTERRUPTED");
      assertThat(line.path("exit_code").asInt()).isEqualTo(143);

      JsonNode r = JSON.readTree(report.toFile());
      assertThat(r.path("run_id").asText()).as(r.toString()).isEqualTo("week-50");
      assertThat(r.path("command").asText()).isEqualTo("scrape");
      assertThat(r.path("shard").asText()).isEqualTo("3/40");
      assertThat(r.path("stop_reason").asText()).isEqualTo("INTERRUPTED");
      assertThat(r.path("exit_code").asInt()).isEqualTo(143);
      assertThat(r.path("items").path("read").asLong()).isZero();
      assertThat(r.path("items").path("processed").asLong()).isZero();
      assertThat(r.path("rows").path("written").asLong()).isZero();
      assertThat(r.path("drift").path("verdict").isNull()).as(r.toString()).isTrue();
      assertThat(r.path("problems").toString()).contains("SIGTERM before the run started");
      assertThat(r.path("source").path("name").asText()).isEqualTo("-");
      assertThat(Files.exists(dir.resolve("report.json.tmp"))).isFalse();

      // The handlers are main's first step: nothing main does before them (guarding standard
      // input, reading argument files for the command, making its line) leaves a signal to the
      // JVM's own handling, which ends with 143 and no line. The JVM's class log gives the
      // order, not a clock.
      String loaded = Files.readString(classes);
      for (String later : List.of("dev.pixivdic.cli.StandardInput",
          "dev.pixivdic.support.cli.ArgumentFiles", "dev.pixivdic.cli.FinalLine$Pending")) {
        assertThat(loadedBefore(loaded, "sun.misc.SignalHandler", later))
            .as("handlers made before %s is loaded", later).isTrue();
      }
    } finally {
      p.destroyForcibly();
      p.getOutputStream().close();
    }
  }

  /** Whether the JVM's class log shows {@code first} loaded, and {@code then} later or not. */
  private static boolean loadedBefore(String log, String first, String then) {
    int a = log.indexOf(first + " ");
    int b = log.indexOf(then + " ");
    return a >= 0 && (b < 0 || a < b);
  }
}
