package dev.pixivdic.core.file.internal;

import dev.pixivdic.core.ArticleUrl;

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
    for (int i = PREFIX.length(); i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '%') {
        if (i + 2 >= url.length() || !upperHex(url.charAt(i + 1)) || !upperHex(url.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~')) {
        return false;
      }
    }
    return true;
  }

  private static boolean upperHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }
}
