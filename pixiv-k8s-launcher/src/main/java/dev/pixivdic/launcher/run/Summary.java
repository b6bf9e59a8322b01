package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
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
  static Summary of(String jobRef, JsonNode job, Collection<JsonNode> pods) {
    List<String> out = new ArrayList<>();
    Optional<JsonNode> complete = JobConditions.find(job, "Complete");
    if (complete.isPresent()) {
      out.add("Job " + jobRef + " succeeded: " + job.path("status").path("succeeded").asInt() + " of "
          + job.path("spec").path("completions").asInt() + " indexes completed");
      podLines(pods, out, false);
      return new Summary(ExitCodes.SUCCESS, out);
    }
    JsonNode failed = JobConditions.find(job, "Failed").orElseThrow();
    String reason = failed.path("reason").asText("");
    String message = failed.path("message").asText("");
    out.add("Job " + jobRef + " failed: " + reason + (message.isEmpty() ? "" : " (" + message + ")"));
    String failedIndexes = job.path("status").path("failedIndexes").asText("");
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

  private static int indexNumber(JsonNode pod) {
    int i = Pods.indexNumber(pod);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private static void podLines(Collection<JsonNode> pods, List<String> out, boolean failuresOnly) {
    pods.stream()
        .sorted(Comparator.comparingInt(Summary::indexNumber).thenComparing(Pods::name))
        .forEach(p -> {
          Optional<JsonNode> t = Pods.terminated(p);
          int code = t.map(x -> x.path("exitCode").asInt(0)).orElse(0);
          if (failuresOnly && code == 0 && t.isPresent()) {
            return;
          }
          StringBuilder line = new StringBuilder("  index " + Pods.index(p) + " pod " + Pods.name(p) + ": ");
          if (t.isEmpty()) {
            line.append(p.path("status").path("phase").asText("Unknown"));
            Pods.startupProblem(p).ifPresent(s -> line.append(" (").append(s).append(')'));
          } else {
            line.append("exit code ").append(code);
            String why = t.get().path("reason").asText("");
            if (!why.isEmpty()) {
              line.append(" (").append(why).append(')');
            }
            if (Pods.disrupted(p)) {
              line.append(" evicted or disrupted: ignored, as the Job's failure policy does");
            }
            if (why.equals("OOMKilled")) {
              line.append(" out of memory: raise --memory");
            }
            String msg = t.get().path("message").asText("").strip();
            if (!msg.isEmpty()) {
              line.append("\n    termination message: ").append(msg.replace("\n", "\n    "));
            }
          }
          out.add(line.toString());
        });
  }
}
