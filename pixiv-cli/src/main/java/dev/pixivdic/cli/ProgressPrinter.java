package dev.pixivdic.cli;

import dev.pixivdic.core.run.internal.Progress;
import dev.pixivdic.core.run.internal.RunEngine;
import dev.pixivdic.support.internal.Durations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Shows progress on stderr: a bar redrawn in place on a terminal, or one line every 30 s
 * elsewhere (logs of a Kubernetes pod), with done/total, rate and ETA.
 */
final class ProgressPrinter implements RunEngine.Listener {

  enum Mode { AUTO, BAR, LINES, NONE }

  private final PrintWriter err;
  private final Mode mode;
  private final long total;
  private final double qps;
  private final Clock clock;
  private final Duration every;
  private Instant next;
  private boolean drewBar;

  /**
   * @param total items of the shard, or -1 when unknown
   * @param qps the request budget, for the ETA before any item finished
   */
  ProgressPrinter(PrintWriter err, Mode mode, long total, double qps, Clock clock) {
    this.err = err;
    this.mode = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
    this.total = total;
    this.qps = qps;
    this.clock = clock;
    this.every = this.mode == Mode.BAR ? Duration.ofMillis(250) : Duration.ofSeconds(30);
  }

  @Override
  public void onProgress(Progress p) {
    if (mode == Mode.NONE) {
      return;
    }
    Instant now = clock.instant();
    if (next == null) {
      next = now.plus(every);
      return;
    }
    if (now.isBefore(next)) {
      return;
    }
    next = now.plus(every);
    print(p);
  }

  /** Ends the bar's line so the summary starts on a fresh one. */
  void finish() {
    if (drewBar) {
      err.println();
      err.flush();
    }
  }

  String line(Progress p) {
    long done = p.read();
    double secs = Math.max(1e-3, p.elapsed().toMillis() / 1000.0);
    double rate = p.processed() / secs;
    String of = total >= 0 ? done + "/" + total : String.valueOf(done);
    String eta = "?";
    if (total >= 0) {
      double perSecond = rate > 0 ? rate : qps;
      long left = Math.max(0, total - done);
      eta = Durations.human(Duration.ofSeconds((long) (left / Math.max(perSecond, 1e-6))));
    }
    return String.format(Locale.ROOT, "%s items (%d skipped, %d failed), %.2f items/s, %d "
        + "rows written, ETA %s",
        of, p.skipped(), p.failed(), rate, p.rowsWritten(), eta);
  }

  private void print(Progress p) {
    if (mode == Mode.BAR) {
      String bar = "";
      if (total > 0) {
        int width = 30;
        int filled = (int) Math.min(width, p.read() * width / total);
        bar = "[" + "=".repeat(filled) + " ".repeat(width - filled) + "] ";
      }
      err.print("\r" + bar + line(p) + "   ");
      drewBar = true;
    } else {
      err.println("progress: " + line(p));
    }
    err.flush();
  }
}
