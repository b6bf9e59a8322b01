package dev.pixivdic.core.resolve.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.LogText;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cleans names and decides whether a search hit's title is the article a name stands for.
 *
 * <p>{@link #normalize} turns a string into its comparable form, in this order:
 * <ol>
 *   <li>Unicode NFKC, so full-width and half-width forms meet ({@code ＡＢＣ} is {@code ABC},
 *       {@code ﾗﾌﾞﾗｲﾌﾞ} is {@code ラブライブ}, an ideographic space is a space);</li>
 *   <li>every run of white space becomes one space, and the ends are trimmed;</li>
 *   <li>lower case, {@link Locale#ROOT}.</li>
 * </ol>
 *
 * <p>{@link #query} and {@link #clean} apply the strip rules to a name after step 2: each rule is
 * a regular expression, and strips its first match that ends where the name ends (a match
 * elsewhere strips nothing, anchored with {@code $} or not); the rules are applied in order,
 * again and again until none changes the name, and white space is trimmed after each removal.
 * A removal that would leave nothing is not made. The default rules remove one trailing
 * decoration of the forms (after NFKC)
 * {@code -サブタイトル-}, {@code 〜サブタイトル〜} and {@code ~サブタイトル~}, with the spaces before
 * it; a full-width {@code －…－} or {@code ～…～} is covered because NFKC makes it half-width.
 *
 * <p>A hit matches a name when the hit title's normalised form equals the name's cleaned form,
 * or equals the name's normalised form (so an article whose title carries the decoration itself
 * is still found). Titles are never stripped: an article {@code 初音ミク -派生-} is not taken
 * for {@code 初音ミク}. {@link #tier} says how close a match is, so that the closest win.
 *
 * <p>The rules may read a name's characters {@link #RULE_READS} times in all (about a second of
 * matching on one core). A rule that backtracks without bound (such as {@code (.*a){20}$} over a
 * long run of {@code a} not at the end) would otherwise hold its worker until the process is
 * killed; past that many reads {@link RuleFailedException} names the rule and the name, as it
 * does for a rule that runs out of stack. A count of reads, not a time: the same names fail
 * whatever the load or the number of workers, so a run judges alike every time. Immutable and
 * thread-safe.
 */
public final class NameCleaner {

  /** The default strip rules: a trailing {@code -…-}, {@code 〜…〜} or {@code ~…~}. */
  public static final List<Pattern> DEFAULT_RULES = List.of(
      Pattern.compile("\\s*-[^-]+-$"),
      Pattern.compile("\\s*〜[^〜]+〜$"),
      Pattern.compile("\\s*~[^~]+~$"));

  /**
   * How many times the strip rules may read a name's characters in all: about a second of
   * matching on one core of a small machine (the JDK's matcher reads some 200 million a second).
   */
  public static final long RULE_READS = 200_000_000L;

  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final NameCleaner DEFAULTS = new NameCleaner(DEFAULT_RULES);

  private final List<Pattern> rules;

  private NameCleaner(List<Pattern> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The cleaner with {@link #DEFAULT_RULES}. */
  public static NameCleaner defaults() {
    return DEFAULTS;
  }

  /**
   * A cleaner with exactly {@code rules}, in order (none: names are only normalised).
   *
   * @throws IllegalArgumentException when a rule can match the empty string, which would strip
   *     nothing and could not be told from a mistake
   */
  public static NameCleaner of(List<Pattern> rules) {
    requireNonNull(rules, "rules");
    for (Pattern p : rules) {
      if (requireNonNull(p, "rule").matcher("").find()) {
        throw new IllegalArgumentException("a strip rule must not match the empty string, was '"
            + p.pattern() + "'");
      }
    }
    return new NameCleaner(rules);
  }

  /** A cleaner with this one's rules followed by {@code more}. */
  public NameCleaner plus(List<Pattern> more) {
    List<Pattern> all = new ArrayList<>(rules);
    all.addAll(requireNonNull(more, "more"));
    return of(all);
  }

  /** The strip rules, in order. */
  public List<Pattern> rules() {
    return rules;
  }

  /** NFKC, white space collapsed and trimmed, lower case; see the class comment. */
  public static String normalize(String s) {
    return spaces(requireNonNull(s, "s")).toLowerCase(Locale.ROOT);
  }

  /**
   * What to type into the site's search for {@code name}: NFKC, white space collapsed and
   * trimmed, decorations stripped; case kept.
   */
  public String query(String name) {
    String s = spaces(requireNonNull(name, "name"));
    long[] left = {RULE_READS};
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Pattern rule : rules) {
        String stripped;
        try {
          stripped = stripAtEnd(rule, s, left);
        } catch (CountedText.Spent e) {
          throw new RuleFailedException("the strip rules read more than " + RULE_READS
              + " characters (about a second of matching) over the name '"
              + LogText.escaped(name, 200) + "' (at rule '" + LogText.escaped(rule.pattern(), 200)
              + "'; a pattern that backtracks without bound, such as (.*a){20}$): make it"
              + " simpler");
        } catch (StackOverflowError e) {
          // The JDK's matcher recurses once a character for some patterns ((?:a|b)*x).
          throw new RuleFailedException("the strip rule '" + LogText.escaped(rule.pattern(), 200)
              + "' ran out of stack over the name '" + LogText.escaped(name, 200)
              + "' (a repeated group recurses once a character): make it simpler");
        }
        if (!stripped.isEmpty() && !stripped.equals(s)) {
          s = stripped;
          changed = true;
        }
      }
    }
    return s;
  }

  /**
   * The cleaned form of {@code name} ({@code clean_middle_class_ip_name}): the query, lower
   * case.
   */
  public String clean(String name) {
    return query(name).toLowerCase(Locale.ROOT);
  }

  /** Whether a hit titled {@code title} is the article {@code name} stands for. */
  public boolean matches(String name, String title) {
    return tier(name, title) >= 0;
  }

  /**
   * How closely a hit titled {@code title} matches {@code name}, the closer the smaller: 0 when
   * the title is the name as written (white space at the ends aside), 1 when the two are equal
   * {@linkplain #normalize normalised} (another width or case), 2 when the title equals the
   * {@linkplain #clean cleaned} name (the name without its decoration); -1 when it does not
   * match.
   */
  public int tier(String name, String title) {
    return tier(name, clean(requireNonNull(name, "name")), title);
  }

  /**
   * As {@link #tier(String, String)}, with the name's {@linkplain #clean cleaned} form given
   * (cleaned once for all the hits of a name: the rules run once a name).
   */
  public static int tier(String name, String cleaned, String title) {
    requireNonNull(name, "name");
    requireNonNull(cleaned, "cleaned");
    String t = normalize(requireNonNull(title, "title"));
    if (t.isEmpty()) {
      return -1;
    }
    if (title.strip().equals(name.strip())) {
      return 0;
    }
    if (t.equals(normalize(name))) {
      return 1;
    }
    return t.equals(cleaned) ? 2 : -1;
  }

  /**
   * {@code s} without the first match of {@code rule} that ends where {@code s} ends, white
   * space trimmed; {@code s} when none does. A rule matching elsewhere strips nothing, whether
   * or not it is anchored with {@code $} ({@code --strip-pattern 'ミク'} stripped the first ミク
   * of a name).
   */
  private static String stripAtEnd(Pattern rule, String s, long[] left) {
    java.util.regex.Matcher m = rule.matcher(new CountedText(s, left));
    while (m.find()) {
      if (m.end() == s.length()) {
        return s.substring(0, m.start()).strip();
      }
    }
    return s;
  }

  private static String spaces(String s) {
    return SPACES.matcher(Normalizer.normalize(s, Normalizer.Form.NFKC)).replaceAll(" ").strip();
  }

  @Override
  public String toString() {
    return "NameCleaner" + rules.stream().map(Pattern::pattern).toList();
  }

  /**
   * The strip rules could not be applied to a name within bounds: more reads than
   * {@link #RULE_READS}, or deeper than the thread's stack. The message names the rule and the
   * name. The same on every try.
   */
  public static final class RuleFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RuleFailedException(String message) {
      super(message);
    }
  }

  /**
   * A name as a rule's matcher reads it: once the name's reads are spent, reading it fails, so a
   * match that backtracks without bound ends (the regex engine reads the text through
   * {@link #charAt} at every step).
   */
  private static final class CountedText implements CharSequence {
    /** The reads are spent. */
    static final class Spent extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Spent() {
        super(null, null, false, false);
      }
    }

    private final CharSequence text;
    /** The reads left for the name, shared by its parts: one thread reads them. */
    private final long[] left;

    CountedText(CharSequence text, long[] left) {
      this.text = text;
      this.left = left;
    }

    @Override
    public char charAt(int index) {
      if (--left[0] < 0) {
        throw new Spent();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new CountedText(text.subSequence(start, end), left);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
