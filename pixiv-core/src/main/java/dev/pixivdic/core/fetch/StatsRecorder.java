package dev.pixivdic.core.fetch;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link FetchStats}. Thread-safe. */
final class StatsRecorder {
  private final LongAdder requests = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder bytesDecoded = new LongAdder();
  private final LongAdder bytesWire = new LongAdder();
  private final LongAdder robotsDisallowed = new LongAdder();
  private final LongAdder redirected = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

  void requestSent() {
    requests.increment();
  }

  void retry() {
    retries.increment();
  }

  void response(int status, long wire, long decoded) {
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    bytesWire.add(wire);
    bytesDecoded.add(decoded);
  }

  void robotsDisallowed() {
    robotsDisallowed.increment();
  }

  void redirected() {
    redirected.increment();
  }

  void failure() {
    failures.increment();
  }

  void waited(Duration d) {
    waitNanos.add(d.toNanos());
  }

  FetchStats snapshot() {
    Map<Integer, Long> statuses = new TreeMap<>();
    byStatus.forEach((k, v) -> statuses.put(k, v.sum()));
    return FetchStats.builder().requestsSent(requests.sum()).retries(retries.sum())
        .bytes(bytesDecoded.sum(), bytesWire.sum()).responsesByStatus(statuses)
        .robotsDisallowed(robotsDisallowed.sum()).redirected(redirected.sum())
        .failures(failures.sum())
        .rateLimitWait(Duration.ofNanos(waitNanos.sum())).build();
  }
}
