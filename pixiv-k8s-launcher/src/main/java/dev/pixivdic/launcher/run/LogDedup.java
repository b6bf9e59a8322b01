package dev.pixivdic.launcher.run;

import java.time.Instant;

/**
 * Drops the lines a reconnect with {@code sinceTime} replays. The kubelet's timestamps are
 * ordered within a container's log and {@code sinceTime} has second precision, so a reconnect
 * replays every line from the start of the last printed second: lines older than the last
 * printed timestamp are skipped, and of the lines at exactly that timestamp as many as were
 * printed. Not thread-safe.
 */
final class LogDedup {
  private Instant last;
  private int printedAtLast;
  private int toSkipAtLast;

  /** Whether a line with this timestamp (null when it had none) should be printed. */
  boolean accept(Instant timestamp) {
    if (timestamp == null) {
      return true;
    }
    if (last != null && timestamp.isBefore(last)) {
      return false;
    }
    if (timestamp.equals(last)) {
      if (toSkipAtLast > 0) {
        toSkipAtLast--;
        return false;
      }
      printedAtLast++;
      return true;
    }
    last = timestamp;
    printedAtLast = 1;
    toSkipAtLast = 0;
    return true;
  }

  /** Called before reconnecting; returns the {@code sinceTime} to ask for, or null for all. */
  Instant reconnecting() {
    toSkipAtLast = printedAtLast;
    return last == null ? null : last.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }
}
