package dev.pixivdic.core.fetch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of a robots.txt that apply to one product token (RFC 9309), plus the non-standard
 * {@code Crawl-delay}. Immutable and thread-safe.
 *
 * <p>Group selection: the groups whose {@code user-agent} equals the token (case-insensitive)
 * are merged; when none does, the {@code *} groups; when none, everything is allowed. Matching:
 * the longest matching pattern wins, {@code allow} wins a tie, {@code *} and a final {@code $}
 * are honoured, and {@code /robots.txt} is always allowed.
 */
final class RobotsRules {

  private record Rule(boolean allow, String pattern, Pattern regex) {}

  private static final RobotsRules ALLOW_ALL = new RobotsRules(List.of(), null);

  private final List<Rule> rules;
  private final Duration crawlDelay;

  private RobotsRules(List<Rule> rules, Duration crawlDelay) {
    this.rules = List.copyOf(rules);
    this.crawlDelay = crawlDelay;
  }

  static RobotsRules allowAll() {
    return ALLOW_ALL;
  }

  static RobotsRules parse(String text, String productToken) {
    String token = productToken.toLowerCase(Locale.ROOT);
    List<Rule> exact = new ArrayList<>();
    List<Rule> star = new ArrayList<>();
    Duration exactDelay = null;
    Duration starDelay = null;
    boolean anyExact = false;
    boolean anyStar = false;

    boolean inAgents = false;
    boolean groupExact = false;
    boolean groupStar = false;
    for (String rawLine : text.split("\r\n|\r|\n")) {
      String line = rawLine;
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (key.equals("user-agent")) {
        if (!inAgents) {
          groupExact = false;
          groupStar = false;
          inAgents = true;
        }
        String agent = value.toLowerCase(Locale.ROOT);
        if (agent.equals(token)) {
          groupExact = true;
          anyExact = true;
        } else if (agent.equals("*")) {
          groupStar = true;
          anyStar = true;
        }
        continue;
      }
      inAgents = false;
      if (key.equals("allow") || key.equals("disallow")) {
        if (value.isEmpty()) {
          continue; // "Disallow:" with nothing allows everything; it adds no rule.
        }
        Rule rule = rule(key.equals("allow"), value);
        if (groupExact) {
          exact.add(rule);
        }
        if (groupStar) {
          star.add(rule);
        }
      } else if (key.equals("crawl-delay")) {
        Optional<Duration> d = parseDelay(value);
        if (d.isPresent()) {
          if (groupExact) {
            exactDelay = d.get();
          }
          if (groupStar) {
            starDelay = d.get();
          }
        }
      }
    }
    if (anyExact) {
      return new RobotsRules(exact, exactDelay);
    }
    if (anyStar) {
      return new RobotsRules(star, starDelay);
    }
    return ALLOW_ALL;
  }

  /** Whether a raw path with optional query (as sent on the request line) may be fetched. */
  boolean allows(String pathAndQuery) {
    String path = normalize(pathAndQuery);
    if (path.equals("/robots.txt")) {
      return true;
    }
    Rule best = null;
    for (Rule r : rules) {
      if (r.regex().matcher(path).lookingAt()) {
        if (best == null || r.pattern().length() > best.pattern().length()
            || (r.pattern().length() == best.pattern().length() && r.allow())) {
          best = r;
        }
      }
    }
    return best == null || best.allow();
  }

  /** The Crawl-delay of the selected group, if any. */
  Optional<Duration> crawlDelay() {
    return Optional.ofNullable(crawlDelay);
  }

  private static Rule rule(boolean allow, String rawPattern) {
    String pattern = normalize(rawPattern);
    boolean anchored = pattern.endsWith("$");
    String body = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
    StringBuilder regex = new StringBuilder();
    for (String piece : body.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(piece));
    }
    if (anchored) {
      regex.append('$');
    }
    return new Rule(allow, pattern, Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  private static Optional<Duration> parseDelay(String value) {
    try {
      double seconds = Double.parseDouble(value);
      if (!(seconds >= 0) || Double.isInfinite(seconds) || seconds > 86_400) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofNanos((long) (seconds * 1e9)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Puts paths and patterns in one form so they compare: non-ASCII characters percent-encoded
   * as UTF-8, and percent-escapes in upper case.
   */
  static String normalize(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        out.append('%').append(Character.toUpperCase(s.charAt(i + 1)))
            .append(Character.toUpperCase(s.charAt(i + 2)));
        i += 2;
      } else if (c < 0x80) {
        out.append(c);
      } else {
        int cp = s.codePointAt(i);
        i += Character.charCount(cp) - 1;
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
      }
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
