package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.launcher.ExitCodes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The outcome of a run: result line, reason, failed indexes and what each failed pod said, plus
 * the exit code to use.
 *
 * @param exitCode the launcher's exit code
 * @param lines human-readable summary, one entry per line
 */
public record Summary(int exitCode, List<String> lines) {
  private static final Pattern EXIT_CODE_IN_MESSAGE = Pattern.compile("exit code (\\d+)");

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
    return new Summary(exitCode(reason, message, pods), out);
  }

  private static int exitCode(String reason, String message, Collection<JsonNode> pods) {
    if (reason.equals("DeadlineExceeded")) {
      return ExitCodes.DEADLINE;
    }
    Matcher m = EXIT_CODE_IN_MESSAGE.matcher(message);
    if (m.find()) {
      return clamp(Integer.parseInt(m.group(1)));
    }
    return pods.stream()
        .flatMap(p -> Pods.terminated(p).stream())
        .filter(t -> t.path("exitCode").asInt(0) != 0)
        .max(Comparator.comparing(t -> t.path("finishedAt").asText("")))
        .map(t -> clamp(t.path("exitCode").asInt()))
        .orElse(ExitCodes.FAILED);
  }

  private static int clamp(int code) {
    return code > 0 && code < 256 ? code : ExitCodes.FAILED;
  }

  private static int indexNumber(JsonNode pod) {
    try {
      return Integer.parseInt(Pods.index(pod));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
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
