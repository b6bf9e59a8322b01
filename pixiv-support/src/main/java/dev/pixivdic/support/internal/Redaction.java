package dev.pixivdic.support.internal;

/** Hides credentials in text meant for messages and logs. */
public final class Redaction {

  private Redaction() {}

  /**
   * A URL as it may be shown in a message or a log: user info, query and fragment, the places
   * where credentials hide, replaced by {@code ***}. Works on text that is not a valid URI too:
   * a sloppy password may hold {@code @}, {@code #}, {@code ?}, {@code /} or blanks, so the
   * user info runs to the last {@code @} before the first {@code /}, or, when what comes before
   * the first of {@code /?#} reads as {@code user:password} rather than {@code host:port}, to
   * the last {@code @} of all. Masking a little too much beats showing a password.
   */
  public static String url(String url) {
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int slash = url.indexOf('/', start);
    int at = url.substring(start, slash < 0 ? url.length() : slash).lastIndexOf('@');
    int infoEnd = at >= 0 ? start + at
        : looksLikeUserInfo(authority(url, start)) ? url.lastIndexOf('@') : -1;
    boolean masked = infoEnd >= start;
    String head = url.substring(0, start) + (masked ? "***@" : "");
    String rest = url.substring(masked ? infoEnd + 1 : start);
    int cut = indexOfAny(rest, '?', '#');
    if (cut >= 0) {
      rest = rest.substring(0, cut) + (rest.charAt(cut) == '?' ? "?***" : "#***");
    }
    return head + rest;
  }

  /**
   * An origin or endpoint ({@code --origin}, {@code --bigquery-endpoint}) as a message or a log
   * may show it. One that reads as an http(s) URL with a plain {@code host[:port]} is shown as
   * {@link #url} shows it, and a plain {@code host:port} or dotted host name without a scheme as
   * it is (unless it {@link #looksLikeKeyMaterial}). Any other is shown by its scheme alone,
   * {@code http://***}, or as {@code ***} when the scheme is not a common one: text that is no
   * URL ({@code http://127.0.0.1:80\TOKEN}, {@code http://[TOKEN]:80}), an authority that is no
   * host ({@code http://TOKEN%40127.0.0.1}, {@code http://127.0.0.1:80%2fTOKEN}), another scheme
   * ({@code ftp://TOKEN}). What a user pasted in the wrong place may be a secret, and no part of
   * an origin that cannot be read (a user-info-like part, a path, what is in brackets, a host) is
   * known not to be one.
   */
  public static String origin(String origin) {
    String text = origin.strip();
    java.util.regex.Matcher scheme = SCHEME.matcher(text);
    String named = scheme.lookingAt() ? scheme.group(1).toLowerCase(java.util.Locale.ROOT) : "";
    String masked = KNOWN_SCHEMES.contains(named) ? named + "://***" : "***";
    if (named.isEmpty() && HOST_AND_PORT.matcher(text).matches() && !looksLikeKeyMaterial(text)) {
      return text; // a host name or an emulator's host:port, a scheme missing
    }
    if (!named.equals("http") && !named.equals("https")) {
      return masked;
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(text);
    } catch (java.net.URISyntaxException e) {
      return masked;
    }
    String authority = uri.getRawAuthority();
    if (uri.getHost() == null || authority == null) {
      return masked;
    }
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    return PLAIN_AUTHORITY.matcher(host).matches() ? url(text) : masked;
  }

  private static final java.util.regex.Pattern SCHEME =
      java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");
  /** Schemes a user may write by mistake, shown to say what is wrong; any other is masked. */
  private static final java.util.Set<String> KNOWN_SCHEMES = java.util.Set.of("http", "https",
      "ftp", "ftps", "sftp", "file", "ws", "wss", "socks", "socks4", "socks5", "socks5h", "ssh",
      "git", "gs", "s3");
  /** A host and port, or a host name with a dot: {@code localhost:9050}, {@code mirror.example}. */
  private static final java.util.regex.Pattern HOST_AND_PORT = java.util.regex.Pattern.compile(
      "([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}"
          + "|[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?");
  private static final java.util.regex.Pattern PLAIN_AUTHORITY = java.util.regex.Pattern.compile(
      "([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

  /**
   * Whether {@code text} reads as key material: a run of 32 or more base64 or hex characters
   * alone, holding letters and digits (a line of a PEM key, a token, a key id); a setting
   * ({@code NAME=value}, {@code name: value}, as in a {@code .env} or YAML file) whose name
   * names a secret (SECRET, TOKEN, KEY, PASSWORD, CREDENTIAL, AUTH, WEBHOOK...) or whose value
   * reads as key material; or text holding a well-known token or webhook shape (GitHub, Slack,
   * AWS, Google API keys, a private key's header). A name or a pixiv URL never does.
   */
  public static boolean looksLikeKeyMaterial(String text) {
    String t = text.strip();
    if (TOKEN_SHAPE.matcher(t).find()) {
      return true;
    }
    java.util.regex.Matcher setting = SETTING.matcher(t);
    if (setting.matches()) {
      String value = setting.group(2).strip().replaceAll("^[\"']|[\"']$", "");
      return !value.isEmpty()
          && (SECRET_NAME.matcher(setting.group(1)).find() || looksLikeKeyMaterial(value));
    }
    return t.length() >= 32 && KEY_MATERIAL.matcher(t).matches()
        && t.chars().anyMatch(Character::isDigit) && t.chars().anyMatch(Character::isLetter);
  }

  private static final java.util.regex.Pattern KEY_MATERIAL =
      java.util.regex.Pattern.compile("[A-Za-z0-9+/_-]+={0,2}");

  /** {@code NAME=value} or {@code name: value}, with an optional {@code export} or quotes. */
  private static final java.util.regex.Pattern SETTING = java.util.regex.Pattern.compile(
      "(?:export\\s+)?[\"']?([A-Za-z_][A-Za-z0-9_.-]*)[\"']?\\s*[=:]\\s*(.*)");

  private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
      "(?i)secret|token|key|passw|pwd|credential|auth|webhook|private|signature|cookie"
          + "|session|bearer");

  private static final java.util.regex.Pattern TOKEN_SHAPE = java.util.regex.Pattern.compile(
      "(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
          + "|xox[abposr]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}"
          + "|sk-[A-Za-z0-9_-]{20,}|glpat-[A-Za-z0-9_-]{20,}"
          + "|eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.)"
          + "|hooks\\.slack\\.com/|discord(?:app)?\\.com/api/webhooks/"
          + "|-----BEGIN [A-Z ]*PRIVATE KEY");

  /**
   * {@code text} as a message may show it: as it is, unless it {@link #looksLikeKeyMaterial},
   * when only its length is told.
   */
  public static String unlessKeyMaterial(String text) {
    return looksLikeKeyMaterial(text)
        ? "(" + text.length() + " characters that look like key material, not shown)" : text;
  }

  /**
   * {@code line} with what follows the {@code =} of each {@code WORD=VALUE} among {@code args}
   * whose {@code WORD} is no option ({@code isOption}) replaced by {@code ***}: an option that
   * does not exist, a word where a command belongs, or a second pair after one option that takes
   * one, each with a value that may be a secret.
   */
  public static String unknownValuesMasked(String line, Iterable<String> args,
      java.util.function.Predicate<String> isOption) {
    String out = line;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq >= 0 && eq < arg.length() - 1 && !isOption.test(arg.substring(0, eq))) {
        out = out.replace(arg, arg.substring(0, eq + 1) + "***");
      }
    }
    return out;
  }

  /** The authority as a URI parser would cut it: up to the first of {@code /?#}. */
  private static String authority(String url, int start) {
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    return url.substring(start, end);
  }

  /** {@code user:secret}, where a host would have {@code host:port} with a numeric port. */
  private static boolean looksLikeUserInfo(String authority) {
    int colon = authority.indexOf(':');
    if (colon < 0 || authority.startsWith("[")) {
      return false;
    }
    String after = authority.substring(colon + 1);
    return after.isEmpty() || !after.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
