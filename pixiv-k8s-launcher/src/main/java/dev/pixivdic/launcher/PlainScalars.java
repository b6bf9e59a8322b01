package dev.pixivdic.launcher;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which strings of a printed manifest are quoted: every one that some YAML reader could
 * take for something else. kubectl reads YAML 1.1 (go-yaml v2), where {@code 0x1F},
 * {@code 0o17}, {@code 2024_12_07}, {@code 1e3}, {@code 8412e10}, {@code 12:30}, {@code .inf}
 * are numbers, {@code yes}/{@code on}/{@code y} booleans, {@code ~} null, {@code <<} a merge key
 * and {@code =} a value key; YAML 1.2 readers differ again. Rather than follow each reader's
 * rules, a string stays plain only when it is certainly text to all of them: it starts with a
 * letter (or another character no number, key or indicator starts with) and is no reserved
 * word, or it is an option such as {@code --source}. Everything else is double-quoted, which
 * every reader reads as the string it holds.
 */
final class PlainScalars extends StringQuotingChecker {
  private static final long serialVersionUID = 1L;

  /** Booleans and nulls of YAML 1.1 and 1.2, in any case (quoting more is harmless). */
  private static final Set<String> WORDS = Set.of("y", "yes", "n", "no", "true", "false", "on",
      "off", "null", "nan", "inf");

  @Override
  public boolean needToQuoteName(String name) {
    return Default.instance().needToQuoteName(name) || !certainlyText(name);
  }

  @Override
  public boolean needToQuoteValue(String value) {
    return Default.instance().needToQuoteValue(value) || !certainlyText(value);
  }

  static boolean certainlyText(String s) {
    if (s.isEmpty() || WORDS.contains(s.toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // Line breaks other than \n (NEL, LS, PS), controls and the byte order mark are kept
      // only inside double quotes: plain or single-quoted, readers fold or refuse them.
      if (Character.isISOControl(c) && c != '\n' && c != '\t' || c == '\u2028' || c == '\u2029'
          || c == '\uFEFF') {
        return false;
      }
    }
    char first = s.charAt(0);
    if (first == '-' && s.length() > 1) {
      // An option (--source, -v): no number, no null or boolean starts with a sign and a letter.
      char next = s.charAt(1) == '-' && s.length() > 2 ? s.charAt(2) : s.charAt(1);
      return isAsciiLetter(next);
    }
    return isAsciiLetter(first) || first == '/' || first == '_' || first == '$' || first > 0x7f;
  }

  private static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }
}
