package dev.pixivdic.cli;

import java.util.regex.Pattern;

/**
 * Masks credentials that could slip into a log line: bearer and basic credentials, OAuth
 * access tokens, {@code key=value} / {@code "key": "value"} pairs named like secrets, and PEM
 * private keys (also inside JSON strings, where the line breaks are {@code \n}). Both log
 * formats pass every message through here. Thread-safe.
 */
final class Secrets {

  static final String MASK = "***";

  // PEM first: the key=value rule would otherwise cut a "private_key" value short and leave
  // the key's body in the line.
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----");
  // To the end of the text, but not its final line break: the next line (the final PIXIV_RESULT
  // line) must still start a line.
  private static final Pattern PEM_UNTERMINATED = Pattern.compile(
      "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(\\r?\\n)?\\z");
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "(?i)(\\b(?:bearer|basic)\\s+)[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern GOOGLE_TOKEN = Pattern.compile("\\bya29\\.[A-Za-z0-9._-]+");
  // Not right after a '/': there the word is a path segment, e.g. the article /a/secret.
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)(?<!/)(\"?\\b(?:access_token|refresh_token|id_token|token|password|passwd|secret|"
          + "private_key|private_key_id|client_secret|api[_-]?key|auth_token|jwt|sig|signature|"
          // Signed URLs (S3, GCS), which a redirect off the site may carry.
          + "x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|"
          + "x-goog-credential|"
          // A resumable upload's session id (BigQuery's loads): the session's credential.
          + "upload_id)\"?\\s*[:=]\\s*\"?)"
          + "[^\"\\s,&}]+");

  // user:password@ in a URL, in any message: the password part at least. A sloppy password may
  // hold '?' or '#' (a URI parser would end the host there); a '/' ends it, or every article
  // whose title holds '@' would lose its host in the log.
  private static final Pattern USER_INFO = Pattern.compile(
      "(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@]*@");

  private Secrets() {}

  /** The text with every credential replaced by {@value #MASK}; null stays null. */
  static String mask(String s) {
    if (s == null) {
      return null;
    }
    String out = PEM.matcher(s).replaceAll("-----PRIVATE KEY MASKED-----");
    out = PEM_UNTERMINATED.matcher(out).replaceAll("-----PRIVATE KEY MASKED-----$1");
    out = AUTHORIZATION.matcher(out).replaceAll("$1" + MASK);
    out = GOOGLE_TOKEN.matcher(out).replaceAll(MASK);
    out = USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
    return KEY_VALUE.matcher(out).replaceAll("$1" + MASK);
  }
}
