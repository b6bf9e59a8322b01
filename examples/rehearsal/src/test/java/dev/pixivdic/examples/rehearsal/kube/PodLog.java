package dev.pixivdic.examples.rehearsal.kube;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of one container as the kubelet keeps it: each line stamped when it arrived. Readers get
 * the lines at or after a time and, when following, the new ones until the container ends.
 * Thread-safe.
 */
final class PodLog {

  private record Line(Instant at, byte[] bytes, boolean newline) {}

  private final List<Line> lines = new ArrayList<>();
  private boolean ended;
  private final Runnable changed;

  /** @param changed told of every line and of the end, after the log holds it */
  PodLog(Runnable changed) {
    this.changed = changed;
  }

  synchronized void append(byte[] line, boolean newline) {
    Instant now = Instant.now();
    // Stamps never go backwards, so sinceTime filtering cannot reorder or lose lines.
    if (!lines.isEmpty() && now.isBefore(lines.get(lines.size() - 1).at())) {
      now = lines.get(lines.size() - 1).at();
    }
    lines.add(new Line(now, line, newline));
    notifyAll();
    changed.run();
  }

  /** The container ended: followers get EOF once they have every line. */
  synchronized void end() {
    ended = true;
    notifyAll();
    changed.run();
  }

  synchronized boolean ended() {
    return ended;
  }

  /** The whole log as text, for the test's own reading. */
  synchronized String text() {
    StringBuilder b = new StringBuilder();
    for (Line l : lines) {
      b.append(new String(l.bytes(), StandardCharsets.UTF_8));
      if (l.newline()) {
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** The last lines, at most {@code maxBytes}, as {@code FallbackToLogsOnError} keeps them. */
  synchronized String tail(int maxLines, int maxBytes) {
    StringBuilder b = new StringBuilder();
    for (Line l : lines.subList(Math.max(0, lines.size() - maxLines), lines.size())) {
      b.append(new String(l.bytes(), StandardCharsets.UTF_8)).append(l.newline() ? "\n" : "");
    }
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    return bytes.length <= maxBytes
        ? b.toString()
        : new String(bytes, bytes.length - maxBytes, maxBytes, StandardCharsets.UTF_8);
  }

  /**
   * Writes the lines stamped at or after {@code since} (all when null), each prefixed with its RFC
   * 3339 timestamp when asked; when following, waits for more until the container ended.
   *
   * @param stillThere whether the pod still exists; a deleted pod ends the stream
   */
  void copyTo(
      OutputStream out,
      Instant since,
      boolean timestamps,
      boolean follow,
      java.util.function.BooleanSupplier stillThere)
      throws IOException, InterruptedException {
    int next = 0;
    while (true) {
      List<Line> batch;
      boolean done;
      synchronized (this) {
        while (follow && next >= lines.size() && !ended && stillThere.getAsBoolean()) {
          wait(500);
        }
        batch = new ArrayList<>(lines.subList(next, lines.size()));
        next = lines.size();
        done = !follow || ended || !stillThere.getAsBoolean();
      }
      for (Line l : batch) {
        if (since != null && l.at().isBefore(since)) {
          continue;
        }
        if (timestamps) {
          out.write((l.at() + " ").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(l.bytes());
        if (l.newline()) {
          out.write('\n');
        }
      }
      out.flush();
      if (done) {
        return;
      }
    }
  }
}
