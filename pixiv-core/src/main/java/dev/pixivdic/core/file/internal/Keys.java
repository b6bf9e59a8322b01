package dev.pixivdic.core.file.internal;

import dev.pixivdic.core.ArticleUrl;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/** Canonical keys of stored URLs, cheaply when they are canonical already. */
final class Keys {
  private static final String PREFIX = ArticleUrl.ORIGIN + "/a/";

  private Keys() {}

  /**
   * The canonical form of {@code url}.
   *
   * @throws dev.pixivdic.core.InvalidArticleUrlException when it is not an article URL
   */
  static String canonical(String url) {
    return isCanonical(url) ? url : ArticleUrl.parse(url).canonical();
  }

  // Rows this project writes hold canonical URLs; checking that is much cheaper than parsing.
  static boolean isCanonical(String url) {
    if (!url.startsWith(PREFIX) || url.length() == PREFIX.length()) {
      return false;
    }
    boolean ascii = true;
    for (int i = PREFIX.length(); i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '%') {
        if (i + 2 >= url.length() || !upperHex(url.charAt(i + 1)) || !upperHex(url.charAt(i + 2))) {
          return false;
        }
        ascii &= url.charAt(i + 1) < '8';
        i += 2;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~')) {
        return false;
      }
    }
    // A title with combining marks apart (written by an older version or another tool) is
    // spelt like this too, but its canonical URL holds it composed (ArticleUrl).
    return ascii || composed(url.substring(PREFIX.length()));
  }

  private static boolean composed(String escaped) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length() / 3 + 8);
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '%') {
        bytes.write(Character.digit(escaped.charAt(i + 1), 16) << 4
            | Character.digit(escaped.charAt(i + 2), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return Normalizer.isNormalized(bytes.toString(StandardCharsets.UTF_8), Normalizer.Form.NFC);
  }

  private static boolean upperHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }
}
