package dev.pixivdic.launcher;

import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.Redaction;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * picocli's usage errors as the launcher shows them. picocli quotes what it could not read,
 * which may be a secret given to the wrong option ({@code --shards ghp_...}) or to an option
 * that does not exist ({@code -e=TOKEN=...}).
 */
final class UsageErrors {

  private UsageErrors() {}

  /**
   * The message of {@code e}: the value it quotes replaced by its length when that
   * {@linkplain Redaction#looksLikeKeyMaterial looks like key material}, then {@linkplain
   * #masked masked}, with control characters escaped (a value quoted in it cannot start a line
   * of its own).
   */
  static String message(ParameterException e, String[] args) {
    String message = e.getMessage();
    String value = e.getValue();
    if (value != null && !value.isEmpty() && Redaction.looksLikeKeyMaterial(value)) {
      message = message.replace(value, Redaction.unlessKeyMaterial(value));
    }
    return LogText.escaped(masked(message, e.getCommandLine().getCommandSpec(), args));
  }

  /**
   * {@code line} with what follows the {@code =} of each argument before {@code --} that is
   * {@code WORD=VALUE} but no option of {@code spec} replaced by {@code ***}: an option that
   * does not exist, or a word where a command belongs, with a value that may be a secret.
   */
  static String masked(String line, CommandSpec spec, String[] args) {
    List<String> beforeEnd = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      beforeEnd.add(arg);
    }
    return Redaction.unknownValuesMasked(line, beforeEnd, spec.optionsMap()::containsKey);
  }
}
