package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.Job;
import dev.pixivdic.launcher.kube.Pod;
import dev.pixivdic.launcher.manifest.ScrapeModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher's exit code for a failed Job, taken from what ended it:
 * <ul>
 *   <li>{@code DeadlineExceeded}: {@link ExitCodes#DEADLINE};
 *   <li>{@code PodFailurePolicy}: the exit code of the container that matched the FailJob rule
 *       that fired (named in the condition's message, else found among the pods);
 *   <li>failed indexes (or a backoff limit): each failed index's last attempt, and when their
 *       codes differ, the most cautious one: a code no retry can fix (2, 65), then "retry later"
 *       (75), then any other code (1, 137...), then "retry" (69); the lowest index among equals;
 *   <li>nothing to go by: {@link ExitCodes#FAILED}.
 * </ul>
 * Pods that were evicted or disrupted ({@link Pods#disrupted}) never decide: the Job's failure
 * policy ignores them too. Stateless.
 *
 * @param exitCode the launcher's exit code
 * @param why one line saying where the code came from, or empty
 */
record ExitDecision(int exitCode, String why) {
  private static final Pattern EXIT_CODE_IN_MESSAGE = Pattern.compile("exit code (\\d+)");

  static ExitDecision of(String reason, String message, Job job, Collection<Pod> pods,
      ScrapeModel model) {
    if (reason.equals("DeadlineExceeded")) {
      return new ExitDecision(ExitCodes.DEADLINE, "the Job ran past its active deadline");
    }
    List<Pod> decisive = pods.stream().filter(p -> !Pods.disrupted(p)).toList();
    if (reason.equals("PodFailurePolicy")) {
      Matcher m = EXIT_CODE_IN_MESSAGE.matcher(message);
      if (m.find()) {
        return new ExitDecision(
            clamp(Integer.parseInt(m.group(1))),
            "the pod failure policy's FailJob rule fired" + " on exit code " + m.group(1));
      }
      Optional<Pod> fired = decisive.stream()
          .filter(p -> failJobRuleMatches(job, p))
          .max(Comparator.comparing(Pods::finishedAt));
      if (fired.isPresent()) {
        int code = Pods.exitCode(fired.get()).orElse(ExitCodes.FAILED);
        return new ExitDecision(clamp(code), "the pod failure policy's FailJob rule fired on pod "
            + Pods.shown(fired.get()) + " (exit code " + code + ")");
      }
    }
    Map<Integer, Pod> lastFailure = lastFailurePerIndex(decisive);
    Set<Integer> failedIndexes = indexes(job.status().failedIndexes());
    if (failedIndexes.isEmpty()) {
      failedIndexes = new TreeSet<>(lastFailure.keySet());
      decisive.stream().filter(p -> Pods.exitCode(p).orElse(-1) == 0)
          .forEach(p -> lastFailure.remove(Pods.indexNumber(p))); // retried and then succeeded
      failedIndexes.retainAll(lastFailure.keySet());
    }
    List<int[]> codes = new ArrayList<>(); // {index, exit code}
    for (int index : failedIndexes) {
      Pod pod = lastFailure.get(index);
      if (pod != null) {
        codes.add(new int[] {index, Pods.exitCode(pod).orElse(ExitCodes.FAILED)});
      }
    }
    if (codes.isEmpty()) {
      return new ExitDecision(ExitCodes.FAILED, "");
    }
    int[] chosen = codes.stream()
        .min(Comparator.<int[]>comparingInt(c -> rank(c[1], model)).thenComparingInt(c -> c[0]))
        .orElseThrow();
    long distinct = codes.stream().mapToInt(c -> c[1]).distinct().count();
    String why = distinct == 1
        ? "exit code " + chosen[1] + " of failed index" + (codes.size() == 1 ? " " : "es ")
            + String.join(",", codes.stream().map(c -> Integer.toString(c[0])).toList())
        : "failed indexes ended differently (" + String.join(", ", codes.stream()
            .map(c -> "index " + c[0] + ": " + c[1]).toList()) + "); the most cautious code, "
            + chosen[1] + ", decides";
    return new ExitDecision(clamp(chosen[1]), why);
  }

  /** Lower is more cautious: what no retry fixes, retry later, unknown, retry now. */
  private static int rank(int code, ScrapeModel model) {
    if (model.doNotRetryExitCodes().contains(code)) {
      return 0;
    }
    if (code == model.exitCode(ScrapeModel.RETRY_LATER)) {
      return 1;
    }
    return code == model.exitCode(ScrapeModel.RETRY) ? 3 : 2;
  }

  /** Per index, its most recently finished failed (non-zero) attempt. */
  private static Map<Integer, Pod> lastFailurePerIndex(List<Pod> pods) {
    Map<Integer, Pod> last = new TreeMap<>();
    for (Pod pod : pods) {
      int code = Pods.exitCode(pod).orElse(0);
      int index = Pods.indexNumber(pod);
      if (code == 0 || index < 0) {
        continue;
      }
      Pod seen = last.get(index);
      if (seen == null || Pods.finishedAt(pod).compareTo(Pods.finishedAt(seen)) >= 0) {
        last.put(index, pod);
      }
    }
    return last;
  }

  /** Whether a FailJob rule with {@code onExitCodes} in the Job's own policy matches the pod. */
  static boolean failJobRuleMatches(Job job, Pod pod) {
    for (Job.Rule rule : job.spec().podFailurePolicy().rules()) {
      Optional<Job.OnExitCodes> on = rule.exitCodes();
      if (!"FailJob".equals(rule.action()) || on.isEmpty()) {
        continue;
      }
      String container = on.get().containerName();
      for (Pod.ContainerStatus status : pod.status().containerStatuses()) {
        Pod.Terminated t = status.state().terminated();
        if (t == null || (!container.isEmpty() && !container.equals(status.name()))) {
          continue;
        }
        int code = t.exitCode();
        boolean listed = on.get().values().contains(code);
        if (code != 0 && listed == "In".equals(on.get().operator())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Parses the Job's {@code failedIndexes} ({@code 1,3-5}); nonsense yields nothing. */
  static Set<Integer> indexes(String text) {
    Set<Integer> out = new TreeSet<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      try {
        int dash = p.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
        for (int i = from; i <= to && i - from < 100_000; i++) {
          out.add(i);
        }
      } catch (NumberFormatException e) {
        return Set.of();
      }
    }
    return out;
  }

  private static int clamp(int code) {
    return code > 0 && code < 256 ? code : ExitCodes.FAILED;
  }
}
