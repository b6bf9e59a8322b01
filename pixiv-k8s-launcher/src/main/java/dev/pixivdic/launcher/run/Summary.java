package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.Condition;
import dev.pixivdic.launcher.kube.Job;
import dev.pixivdic.launcher.kube.Pod;
import dev.pixivdic.launcher.manifest.ScrapeModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a run: result line, reason, failed indexes and what each failed pod said, plus
 * the exit code to use ({@link ExitDecision}).
 *
 * @param exitCode the launcher's exit code
 * @param lines human-readable summary, one entry per line
 */
public record Summary(int exitCode, List<String> lines) {
  public Summary {
    lines = List.copyOf(lines);
  }

  /** Summarises a Job that reached {@code Complete} or {@code Failed}. */
  static Summary of(String jobRef, Job job, Collection<Pod> pods) {
    List<String> out = new ArrayList<>();
    if (job.condition("Complete").isPresent()) {
      out.add("Job " + jobRef + " succeeded: " + job.status().succeeded() + " of "
          + job.spec().completions() + " indexes completed");
      podLines(pods, out, false);
      return new Summary(ExitCodes.SUCCESS, out);
    }
    Condition failed = job.condition("Failed").orElseThrow();
    String reason = failed.reason();
    String message = failed.message();
    out.add("Job " + jobRef + " failed: " + reason
        + (message.isEmpty() ? "" : " (" + message + ")"));
    String failedIndexes = job.status().failedIndexes();
    if (!failedIndexes.isEmpty()) {
      out.add("  failed indexes: " + failedIndexes);
    }
    podLines(pods, out, true);
    ExitDecision decision = ExitDecision.of(reason, message, job, pods, ScrapeModel.bundled());
    if (!decision.why().isEmpty()) {
      out.add("  exit code " + decision.exitCode() + ": " + decision.why());
    }
    return new Summary(decision.exitCode(), out);
  }

  private static int indexNumber(Pod pod) {
    int i = Pods.indexNumber(pod);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private static void podLines(Collection<Pod> pods, List<String> out, boolean failuresOnly) {
    pods.stream()
        .sorted(Comparator.comparingInt(Summary::indexNumber).thenComparing(Pods::name))
        .forEach(p -> {
          Optional<Pod.Terminated> t = Pods.terminated(p);
          int code = t.map(Pod.Terminated::exitCode).orElse(0);
          if (failuresOnly && code == 0 && t.isPresent()) {
            return;
          }
          StringBuilder line =
              new StringBuilder("  index " + Pods.index(p) + " pod " + Pods.shown(p) + ": ");
          if (t.isEmpty()) {
            line.append(Pods.phase(p));
            Pods.startupProblem(p).ifPresent(s -> line.append(" (").append(s).append(')'));
          } else {
            line.append("exit code ").append(code);
            String why = t.get().reason();
            if (!why.isEmpty()) {
              line.append(" (").append(why).append(')');
            }
            if (Pods.disrupted(p)) {
              line.append(" evicted or disrupted: ignored, as the Job's failure policy does");
            }
            if (why.equals("OOMKilled")) {
              line.append(" out of memory: raise --memory");
            }
            String msg = t.get().message().strip();
            if (!msg.isEmpty()) {
              line.append("\n    termination message: ").append(msg.replace("\n", "\n    "));
            }
          }
          out.add(line.toString());
        });
  }
}
