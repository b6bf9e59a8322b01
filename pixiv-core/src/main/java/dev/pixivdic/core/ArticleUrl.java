package dev.pixivdic.core;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.ControlChars;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The canonical address of one pixiv encyclopedia article.
 *
 * <p>The canonical form is {@code https://dic.pixiv.net/a/} followed by the article title in
 * UTF-8, every byte outside RFC 3986's unreserved set ({@code A-Z a-z 0-9 - . _ ~})
 * percent-encoded with upper-case hex. No query, no fragment, no trailing slash. Variants
 * ({@code http://}, a trailing slash, lower-case escapes, unescaped characters, a query or
 * fragment) all map to the same canonical form, so the canonical string is a stable key for
 * sharding, de-duplication and storage.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param title the decoded article title, never blank, without NUL or an unpaired surrogate
 *     (half a character, which has no UTF-8 form); the sources refuse titles with any other
 *     control character too, while stored URLs with one still read back
 */
public record ArticleUrl(String title) {

  /** The site's origin, without a trailing slash. */
  public static final String ORIGIN = "https://dic.pixiv.net";

  private static final String PREFIX = ORIGIN + "/a/";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  public ArticleUrl {
    requireNonNull(title, "title");
    if (title.isBlank()) {
      throw new InvalidArticleUrlException("an article title must not be blank", title);
    }
    if (title.indexOf('\u0000') >= 0) {
      throw new InvalidArticleUrlException("an article title must not contain NUL", title);
    }
    ControlChars.firstUnpairedSurrogate(title).ifPresent(half -> {
      // Encoded, it would become '?': a request for another article.
      throw new InvalidArticleUrlException("an article title must not hold " + half, title);
    });
    if (isDotSegment(title)) {
      // As a path segment it would mean this or the parent directory, not an article.
      throw new InvalidArticleUrlException("an article title must not be . or ..", title);
    }
  }

  /** Whether a path segment (raw, or decoded) means this or the parent directory. */
  private static boolean isDotSegment(String segment) {
    String plain = segment.replace("%2e", ".").replace("%2E", ".");
    return plain.equals(".") || plain.equals("..");
  }

  /** The article with this (decoded) title. */
  public static ArticleUrl ofTitle(String title) {
    return new ArticleUrl(title);
  }

  /**
   * Parses any accepted spelling of an article URL.
   *
   * @throws InvalidArticleUrlException naming the input when it is not a dic.pixiv.net article
   *     URL
   */
  public static ArticleUrl parse(String input) {
    requireNonNull(input, "input");
    // Only up to a query or fragment, which are dropped; the index counts in the input.
    int end = input.length();
    for (char cut : new char[] {'?', '#'}) {
      end = input.indexOf(cut) >= 0 ? Math.min(end, input.indexOf(cut)) : end;
    }
    ControlChars.firstUnpairedSurrogate(input.substring(0, end)).ifPresent(half -> {
      // Escaped below as UTF-8, it would become %3F: a '?' in the title, another article.
      throw InvalidArticleUrlException.ofUrl("it holds " + half, input);
    });
    String s = input.strip();
    URI uri;
    try {
      uri = new URI(escapeIllegal(s));
    } catch (URISyntaxException e) {
      throw InvalidArticleUrlException.ofUrl("not a URL: " + e.getReason(), input);
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
      throw InvalidArticleUrlException.ofUrl("not an http(s) URL", input);
    }
    String host = uri.getHost();
    if (host == null || !host.equalsIgnoreCase("dic.pixiv.net")) {
      throw InvalidArticleUrlException.ofUrl("not on dic.pixiv.net", input);
    }
    if (uri.getPort() != -1 && uri.getPort() != 80 && uri.getPort() != 443) {
      throw InvalidArticleUrlException.ofUrl("unexpected port " + uri.getPort(), input);
    }
    String rawPath = uri.getRawPath();
    if (rawPath == null || !rawPath.startsWith("/a/")) {
      throw InvalidArticleUrlException.ofUrl("not an article path (/a/<title>)", input);
    }
    String rawTitle = rawPath.substring(3);
    if (rawTitle.endsWith("/")) {
      rawTitle = rawTitle.substring(0, rawTitle.length() - 1);
    }
    if (rawTitle.isEmpty()) {
      throw InvalidArticleUrlException.ofUrl("the article title is empty", input);
    }
    for (String segment : rawTitle.split("/", -1)) {
      if (isDotSegment(segment)) {
        // A browser or server resolves /a/../a/x to /a/x: the title is not "../a/x".
        throw InvalidArticleUrlException.ofUrl("a path segment is . or ..", input);
      }
    }
    String title;
    try {
      title = percentDecode(rawTitle);
    } catch (IllegalArgumentException e) {
      throw InvalidArticleUrlException.ofUrl(e.getMessage(), input);
    }
    if (title.isBlank()) {
      throw InvalidArticleUrlException.ofUrl("the article title is blank", input);
    }
    for (String segment : title.split("[/\\\\]", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        // Spelled with %2F (/a/..%2F..%2Fadmin): a server or proxy that decodes %2F steps up.
        // So with %5C (/a/x%5C..%5Cadmin): some servers take a backslash for a slash.
        throw InvalidArticleUrlException.ofUrl("a path segment of the decoded title is . or .."
            + " (between slashes or backslashes)", input);
      }
    }
    return new ArticleUrl(title);
  }

  /** Like {@link #parse(String)}, but empty instead of throwing. */
  public static Optional<ArticleUrl> tryParse(String input) {
    if (input == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(input));
    } catch (InvalidArticleUrlException e) {
      return Optional.empty();
    }
  }

  /** The canonical URL string, {@code https://dic.pixiv.net/a/<encoded title>}. */
  public String canonical() {
    return PREFIX + encodedTitle();
  }

  /** The title percent-encoded as in the canonical form, usable as one path segment. */
  public String encodedTitle() {
    return percentEncode(title);
  }

  /** The canonical URL. */
  public URI uri() {
    return URI.create(canonical());
  }

  @Override
  public String toString() {
    return canonical();
  }

  /** Percent-encodes every UTF-8 byte outside RFC 3986's unreserved set, upper-case hex. */
  public static String percentEncode(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * Decodes {@code %XX} escapes as UTF-8; other characters stand for themselves ({@code +} is
   * a plus sign in a path).
   *
   * @throws IllegalArgumentException on a malformed escape or bytes that are not UTF-8
   */
  static String percentDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated percent escape at index " + i);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("malformed percent escape at index " + i);
        }
        bytes.write(hi << 4 | lo);
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        bytes.writeBytes(enc);
        i += Character.charCount(cp);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("percent escapes are not valid UTF-8", e);
    }
  }

  /**
   * Escapes characters that {@link URI} rejects but people paste (non-ASCII, spaces, quotes,
   * brackets, which a title may hold and RFC 3986 allows in a host only),
   * leaving existing escapes and the URL's structure alone. A {@code #} or {@code ?} still
   * starts a fragment or query, as in a browser.
   */
  private static String escapeIllegal(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (cp > 0x7e || cp <= 0x20 || "\"<>\\^`{|}'[]".indexOf(cp) >= 0) {
        out.append(percentEncode(new String(Character.toChars(cp))));
      } else if (cp == '%' && !(i + 2 < s.length()
          && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0)) {
        out.append("%25");
      } else {
        out.appendCodePoint(cp);
      }
      i += n;
    }
    return out.toString();
  }
}
