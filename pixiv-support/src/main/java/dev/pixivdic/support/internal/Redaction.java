package dev.pixivdic.support.internal;

/** Hides credentials in text meant for messages and logs. */
public final class Redaction {

  private Redaction() {}

  /**
   * A URL as it may be shown in a message or a log: user info, query and fragment, the places
   * where credentials hide, replaced by {@code ***}. Works on text that is not a valid URI too.
   */
  public static String url(String url) {
    String s = url;
    int cut = indexOfAny(s, '?', '#');
    String tail = "";
    if (cut >= 0) {
      tail = (s.charAt(cut) == '?' ? "?***" : "#***");
      s = s.substring(0, cut);
    }
    int scheme = s.indexOf("://");
    int hostStart = scheme < 0 ? 0 : scheme + 3;
    int pathStart = s.indexOf('/', hostStart);
    String authority = pathStart < 0 ? s.substring(hostStart) : s.substring(hostStart, pathStart);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      s = s.substring(0, hostStart) + "***@" + authority.substring(at + 1)
          + (pathStart < 0 ? "" : s.substring(pathStart));
    }
    return s + tail;
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
