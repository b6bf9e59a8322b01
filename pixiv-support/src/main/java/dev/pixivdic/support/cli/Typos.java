package dev.pixivdic.support.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Suggestions for a mistyped option or command ("did you mean --source?"). picocli checks
 * required options before it reports unknown ones, so a misspelt required option would only
 * be reported as missing; this looks at the arguments as given instead. Both commands'
 * parameter handlers ({@link CommandLines}) use it.
 */
public final class Typos {

  private Typos() {}

  /**
   * One line per argument that looks like an option (or, where {@code spec} has subcommands,
   * like a command) and is none of {@code spec}'s, with the nearest name when one is near
   * enough to be a typo.
   */
  public static List<String> unknown(CommandSpec spec, List<String> args) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        break;
      }
      if (arg.startsWith("--") && arg.length() > 2) {
        String name = arg.split("=", 2)[0];
        OptionSpec option = spec.optionsMap().get(name);
        if (option == null) {
          lines.add("unknown option '" + name + "'" + hint(name, spec.optionsMap().keySet()));
        } else if (option.arity().max() > 0 && !arg.contains("=")) {
          i++; // its value
        }
      } else if (!spec.subcommands().isEmpty() && !arg.startsWith("-")) {
        if (!spec.subcommands().containsKey(arg)) {
          lines.add("unknown command '" + arg + "'" + hint(arg, spec.subcommands().keySet()));
        }
        break; // what follows belongs to that command
      }
    }
    return lines;
  }

  private static String hint(String given, Set<String> names) {
    return nearest(given, names).map(n -> "; did you mean " + n + "?").orElse("");
  }

  /** The closest name within an edit distance of a third of its length (at least 1). */
  public static Optional<String> nearest(String given, Set<String> names) {
    return names.stream()
        .filter(n -> n.length() > 2)
        .map(n -> new Candidate(n, distance(given, n)))
        .filter(c -> c.distance() <= Math.max(1, c.name().replaceFirst("^--", "").length() / 3))
        .min(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name))
        .map(Candidate::name);
  }

  private record Candidate(String name, int distance) {}

  /** Optimal string alignment distance: insertions, deletions, substitutions, swaps. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
