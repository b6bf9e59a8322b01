package dev.pixivdic.launcher.kube;

import java.util.regex.Pattern;

/**
 * Removes what must never reach a message or a log from URLs: user-info (a password), query
 * strings and fragments (tokens some proxies take there). Works on text that does not parse as a
 * URL too, since such text ends up in error messages as well; when in doubt it masks more.
 */
public final class Redact {
  /** What stands in for a removed secret. */
  public static final String MASK = "***";
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^\\s'\"]*@");
  private static final Pattern QUERY = Pattern.compile("[?#]\\S*");
  private static final Pattern URL_IN_TEXT =
      Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s'\"]*");

  private Redact() {}

  /**
   * A URL as it may be shown: {@code https://user:pw@host:6443/p?token=x#f} becomes
   * {@code https://***@host:6443/p?***}.
   */
  public static String url(String text) {
    String noUser = USER_INFO.matcher(text).replaceAll(MASK + "@");
    return QUERY.matcher(noUser).replaceFirst("?" + MASK);
  }

  /** {@code text} with every URL in it (up to a space or a quote) passed through {@link #url}. */
  public static String urlsIn(String text) {
    return URL_IN_TEXT
        .matcher(text)
        .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(url(m.group())));
  }
}
