package dev.pixivdic.cli;

import java.util.regex.Pattern;

/** Masks credentials that could slip into a log line: bearer tokens, keys, passwords. */
final class Secrets {

  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)(\"?(?:access_token|refresh_token|id_token|token|password|secret|private_key|client_secret|api[_-]?key)\"?\\s*[:=]\\s*\"?)[^\"\\s,&}]+");
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----");

  private Secrets() {}

  static String mask(String s) {
    if (s == null) {
      return null;
    }
    String out = BEARER.matcher(s).replaceAll("$1***");
    out = KEY_VALUE.matcher(out).replaceAll("$1***");
    return PEM.matcher(out).replaceAll("-----PRIVATE KEY MASKED-----");
  }
}
