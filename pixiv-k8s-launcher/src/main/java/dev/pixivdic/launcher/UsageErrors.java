package dev.pixivdic.launcher;

import dev.pixivdic.support.cli.ArgumentFiles;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.Redaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
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
   * does not exist, or a word where a command belongs, with a value that may be a secret; the
   * words of argument files too.
   */
  static String masked(String line, CommandSpec spec, String[] args) {
    return Redaction.unknownValuesMasked(line, expanded(args), spec.optionsMap()::containsKey);
  }

  /**
   * The words before {@code --}: those given, each argument file followed by its words (an
   * argument file named in one, by its own).
   */
  static List<String> expanded(String[] args) {
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      out.add(arg);
      ArgumentFiles.words(new String[] {arg}).forEach(w -> out.add(w.text()));
    }
    return out;
  }

  /** The options whose value is {@code KEY=VALUE}. */
  static final List<String> KEY_VALUE_OPTIONS = List.of("--env", "--label", "--node-selector");

  /**
   * Why a line of an argument file does not say what it seems to: {@code --env A="x y"} is read
   * as {@code --env A=} and a word {@code x y}, which would go to the scrape arguments. Neither
   * the value nor the word is shown.
   */
  static Optional<String> splitPair(String[] args) {
    List<ArgumentFiles.Word> words = ArgumentFiles.words(args);
    for (int i = 0; i + 1 < words.size(); i++) {
      ArgumentFiles.Word pair = words.get(i);
      ArgumentFiles.Word next = words.get(i + 1);
      String option = i > 0 && KEY_VALUE_OPTIONS.contains(words.get(i - 1).text())
          ? words.get(i - 1).text() : null;
      String text = pair.text();
      for (String o : KEY_VALUE_OPTIONS) {
        if (option == null && text.startsWith(o + "=")) {
          option = o;
          text = text.substring(o.length() + 1);
        }
      }
      int eq = text.indexOf('=');
      if (option != null && !pair.quoted() && eq > 0 && eq == text.length() - 1 && next.quoted()
          && next.file().equals(pair.file()) && next.line() == pair.line()) {
        String key = LogText.escaped(text.substring(0, eq), 100);
        return Optional.of(option + " " + key + "= in the argument file " + pair.file()
            + " (line " + pair.line() + ") is followed by a quoted word: an argument file splits "
            + key + "=\"...\" into " + key + "= (an empty value) and the quoted text (not shown),"
            + " which would not be the value; quote the whole pair: " + option + " \"" + key
            + "=...\"");
      }
    }
    return Optional.empty();
  }

  /**
   * Why an option that takes a value stands right before the {@code --} that ends the
   * launcher's options: picocli took what follows for more options and named one of the scrape
   * arguments ("unknown option '--source'").
   */
  static Optional<String> valueMissingBeforeEnd(CommandSpec spec, String[] args) {
    List<String> words = new ArrayList<>(List.of(args));
    int end = words.indexOf("--");
    if (end <= 0) {
      return Optional.empty();
    }
    OptionSpec option = spec.optionsMap().get(words.get(end - 1));
    if (option == null || option.arity().min() == 0) {
      return Optional.empty();
    }
    String name = words.get(end - 1);
    return Optional.of(name + " needs " + option.paramLabel() + " and got '--', which ends"
        + " pixiv-launch's options (the arguments for pixiv scrape follow it): give " + name + " "
        + option.paramLabel() + " before --, or leave " + name + " out");
  }
}
