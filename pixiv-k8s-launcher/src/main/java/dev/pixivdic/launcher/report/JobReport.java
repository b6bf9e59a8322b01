package dev.pixivdic.launcher.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.support.internal.LogText;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One answer to "how did this run go": per shard what its pods' {@code pixiv} said in their
 * final lines, and in total the coverage (shards that reported), the blocked and drift shards,
 * and the request rate achieved against the global budget. Immutable.
 *
 * @param job the Job as {@code namespace/name}
 * @param exitCode the launcher's exit code
 * @param verdict the launcher's own summary, one entry per line
 * @param startedAt when the Job was created (or the launch began)
 * @param wall from then to the end of the run
 * @param globalQps the Job's global request budget ({@code --qps})
 * @param shards one entry per index, in index order
 */
public record JobReport(String job, int exitCode, List<String> verdict, Instant startedAt,
    Duration wall, BigDecimal globalQps, List<Shard> shards) {

  /** Outcome of a shard whose last pod ended without printing a final line. */
  public static final String NO_FINAL_LINE = "NO_FINAL_LINE";
  /** Outcome of a shard for which no pod ever ran. */
  public static final String NOT_STARTED = "NOT_STARTED";
  private static final ObjectMapper JSON = new ObjectMapper();

  public JobReport {
    requireNonNull(job, "job");
    verdict = List.copyOf(verdict);
    requireNonNull(startedAt, "startedAt");
    requireNonNull(wall, "wall");
    requireNonNull(globalQps, "globalQps");
    shards = List.copyOf(shards);
  }

  /**
   * One pod of the Job, as seen at the end.
   *
   * @param index its completion index
   * @param pod its name
   * @param exitCode its container's exit code, when it terminated
   * @param state what became of it when it has no exit code (Pending, Running, deleted...)
   * @param finalLine what its {@code pixiv} said last, if it said it
   */
  public record Attempt(int index, String pod, Optional<Integer> exitCode, String state,
      Optional<FinalLine> finalLine) {
    public Attempt {
      requireNonNull(pod, "pod");
      requireNonNull(exitCode, "exitCode");
      requireNonNull(state, "state");
      requireNonNull(finalLine, "finalLine");
    }
  }

  /**
   * One shard: its last attempt decides the outcome and exit code; counts add up over every
   * attempt that printed a final line (a blocked first try may have stored rows).
   *
   * @param outcome the last attempt's stop reason, {@value #NO_FINAL_LINE} or
   *     {@value #NOT_STARTED}
   * @param exitCode the last attempt's exit code, if it has one
   * @param pod the last attempt's pod, empty when none ran
   * @param attempts pods that ran for this index
   * @param note why there is no final line, or empty
   */
  public record Shard(int index, String outcome, Optional<Integer> exitCode, String pod,
      int attempts, long items, long rows, long rowsDropped, long retries, long requests,
      boolean reported, String note) {
    public Shard {
      requireNonNull(outcome, "outcome");
      requireNonNull(exitCode, "exitCode");
      requireNonNull(pod, "pod");
      requireNonNull(note, "note");
    }

    boolean blocked() {
      return outcome.equals("BLOCKED") || exitCode.orElse(0) == 75;
    }

    boolean notStarted() {
      return outcome.equals(NOT_STARTED);
    }

    boolean drift() {
      return outcome.equals("PARSE_BREAKAGE") || exitCode.orElse(0) == 65;
    }
  }

  /**
   * Builds the report from every pod seen, in the order they were created.
   *
   * @param shardCount the Job's completions
   */
  public static JobReport of(String job, int exitCode, List<String> verdict, Instant startedAt,
      Duration wall, BigDecimal globalQps, int shardCount, List<Attempt> attempts) {
    Map<Integer, List<Attempt>> byIndex = new TreeMap<>();
    for (int i = 0; i < shardCount; i++) {
      byIndex.put(i, new ArrayList<>());
    }
    for (Attempt a : attempts) {
      byIndex.computeIfAbsent(a.index(), i -> new ArrayList<>()).add(a);
    }
    List<Shard> shards = new ArrayList<>();
    byIndex.forEach((index, tries) -> shards.add(shard(index, tries)));
    return new JobReport(job, exitCode, verdict, startedAt, wall, globalQps, shards);
  }

  private static Shard shard(int index, List<Attempt> tries) {
    if (tries.isEmpty()) {
      return new Shard(index, NOT_STARTED, Optional.empty(), "", 0, 0, 0, 0, 0, 0, false,
          "no pod ran");
    }
    long items = 0;
    long rows = 0;
    long dropped = 0;
    long retries = 0;
    long requests = 0;
    for (Attempt a : tries) {
      if (a.finalLine().isPresent()) {
        FinalLine f = a.finalLine().get();
        items += f.itemsProcessed();
        rows += f.rowsWritten();
        dropped += f.rowsDropped();
        retries += f.retries();
        requests += f.requests();
      }
    }
    Attempt last = tries.get(tries.size() - 1);
    Optional<Integer> code = last.exitCode().or(() -> last.finalLine().map(FinalLine::exitCode));
    if (last.finalLine().isPresent()) {
      return new Shard(index, last.finalLine().get().stopReason(), code, last.pod(),
          tries.size(), items, rows, dropped, retries, requests, true, "");
    }
    String note = "pod " + LogText.escaped(last.pod()) + " ended without a final line ("
        + last.exitCode().map(c -> "exit code " + c + (last.state().isEmpty() ? ""
            : ", " + last.state())).orElse(last.state()) + ")";
    return new Shard(index, NO_FINAL_LINE, code, last.pod(), tries.size(), items, rows, dropped,
        retries, requests, false, note);
  }

  /** Shards whose last attempt printed a final line. */
  public long reported() {
    return shards.stream().filter(Shard::reported).count();
  }

  private long sum(java.util.function.ToLongFunction<Shard> f) {
    return shards.stream().mapToLong(f).sum();
  }

  private List<Integer> indexes(java.util.function.Predicate<Shard> p) {
    return shards.stream().filter(p).map(Shard::index).toList();
  }

  /** Requests per second over the wall time, divided by the global budget (1 = all of it). */
  public double budgetShare() {
    double secs = Math.max(1e-3, wall.toMillis() / 1000.0);
    return sum(Shard::requests) / secs / globalQps.doubleValue();
  }

  /** The report for people, one entry per line. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    int notStarted = indexes(Shard::notStarted).size();
    out.add(String.format(Locale.ROOT, "Job report %s: %d of %d shards reported, %d blocked,"
        + " %d drift, %d without a final line%s", job, reported(), shards.size(),
        indexes(Shard::blocked).size(), indexes(Shard::drift).size(),
        shards.size() - reported() - notStarted,
        notStarted == 0 ? "" : ", " + notStarted + " not started"));
    out.add(String.format(Locale.ROOT, "  %-5s %-16s %4s %8s %8s %7s %8s", "shard", "outcome",
        "exit", "items", "rows", "retries", "requests"));
    for (Shard s : shards) {
      out.add(String.format(Locale.ROOT, "  %-5d %-16s %4s %8d %8d %7d %8d%s", s.index(),
          s.outcome(), s.exitCode().map(String::valueOf).orElse("-"), s.items(), s.rows(),
          s.retries(), s.requests(), s.note().isEmpty() ? "" : "  " + s.note()));
    }
    double secs = Math.max(1e-3, wall.toMillis() / 1000.0);
    out.add(String.format(Locale.ROOT, "  %-5s %-16s %4s %8d %8d %7d %8d", "total", "", "",
        sum(Shard::items), sum(Shard::rows), sum(Shard::retries), sum(Shard::requests)));
    out.add(String.format(Locale.ROOT, "  rate %.3f requests/s over %ds, %.0f%% of the global"
        + " budget of %s requests/s%s", sum(Shard::requests) / secs, wall.toSeconds(),
        budgetShare() * 100, globalQps.toPlainString(),
        sum(Shard::rowsDropped) > 0 ? "; ROWS DROPPED " + sum(Shard::rowsDropped) : ""));
    return out;
  }

  /** The report as JSON, as {@code pixiv-launch run --report} writes it. */
  public ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("job", job);
    root.put("exit_code", exitCode);
    ArrayNode v = root.putArray("verdict");
    verdict.forEach(v::add);
    ArrayNode text = root.putArray("lines");
    lines().forEach(text::add);
    root.put("started_at", startedAt.toString());
    root.put("wall_seconds", wall.toMillis() / 1000.0);
    root.put("global_qps", globalQps);
    ObjectNode total = root.putObject("total");
    total.put("shards", shards.size());
    total.put("reported", reported());
    total.put("coverage", shards.isEmpty() ? 1.0
        : Math.round(reported() * 10000.0 / shards.size()) / 10000.0);
    total.put("items", sum(Shard::items));
    total.put("rows", sum(Shard::rows));
    total.put("rows_dropped", sum(Shard::rowsDropped));
    total.put("retries", sum(Shard::retries));
    total.put("requests", sum(Shard::requests));
    double secs = Math.max(1e-3, wall.toMillis() / 1000.0);
    total.put("requests_per_second", Math.round(sum(Shard::requests) / secs * 1000) / 1000.0);
    total.put("budget_share", Math.round(budgetShare() * 1000) / 1000.0);
    indexes(Shard::blocked).forEach(total.putArray("blocked_shards")::add);
    indexes(Shard::drift).forEach(total.putArray("drift_shards")::add);
    indexes(s -> !s.reported() && !s.notStarted())
        .forEach(total.putArray("shards_without_final_line")::add);
    indexes(Shard::notStarted).forEach(total.putArray("shards_not_started")::add);
    ArrayNode list = root.putArray("shards");
    for (Shard s : shards) {
      ObjectNode o = list.addObject();
      o.put("index", s.index());
      o.put("outcome", s.outcome());
      if (s.exitCode().isPresent()) {
        o.put("exit_code", s.exitCode().get());
      } else {
        o.putNull("exit_code");
      }
      o.put("pod", s.pod());
      o.put("attempts", s.attempts());
      o.put("items", s.items());
      o.put("rows", s.rows());
      o.put("rows_dropped", s.rowsDropped());
      o.put("retries", s.retries());
      o.put("requests", s.requests());
      o.put("final_line", s.reported());
      if (!s.note().isEmpty()) {
        o.put("note", s.note());
      }
    }
    return root;
  }
}
