package dev.pixivdic.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of a {@code KEY=VALUE} option ({@code --env}, {@code --label},
 * {@code --node-selector}): split at its first {@code =}, the value taken as given, quotes
 * included. A value without {@code =} is refused without being quoted: a value of {@code --env}
 * may be a secret, given without its name.
 */
final class KeyValue implements ITypeConverter<Map.Entry<String, String>> {
  /** The longest key that reads as a name: a label key's prefix, a DNS name, is this long. */
  private static final int MAX_NAME = 253;
  private static final Pattern NAME = Pattern.compile("[-._a-zA-Z0-9/]+");

  @Override
  public Map.Entry<String, String> convert(String value) {
    int eq = value.indexOf('=');
    if (eq < 0) {
      throw new TypeConversionException("no '=' in it (" + value.length()
          + " characters, not shown: a value may be a secret)");
    }
    if (eq > 0 && value.length() - eq > 1 && value.substring(eq).chars().allMatch(c -> c == '=')
        && (!nameLike(value.substring(0, eq)) || paddedBase64(value))) {
      // Base64 text ends in '=' signs: a value given without its name would become a "name"
      // holding the value, set to "=" or "==". SEP== is the name SEP set to "=", while QQ==, a
      // short value of one case, is base64 text and nothing else.
      throw new TypeConversionException("no valid name in it: it ends in '=' signs only, as"
          + " base64 text does, so it reads as a value without its name (" + value.length()
          + " characters, not shown: a value may be a secret); give NAME=VALUE");
    }
    return Map.entry(value.substring(0, eq), value.substring(eq + 1));
  }

  /**
   * Whether {@code key} reads as a name rather than base64 text: the characters of an env name
   * or label key, at most {@value #MAX_NAME} of them, and its letters all of one case
   * ({@code SEP}, {@code app.kubernetes.io/part}); base64 text mixes the cases.
   */
  private static boolean nameLike(String key) {
    return key.length() <= MAX_NAME && NAME.matcher(key).matches()
        && !(key.chars().anyMatch(Character::isLowerCase)
            && key.chars().anyMatch(Character::isUpperCase));
  }

  /**
   * Whether {@code value} is base64 text of one or two bytes short of a whole group, exactly as an
   * encoder writes it: a multiple of four characters of the base64 (or URL-safe) alphabet, ending
   * in {@code ==} after a character whose four low bits, which no byte fills, are zero
   * ({@code QQ==}, {@code QUFBQQ==}). {@code SEP==} (five characters) and {@code AB==} (its
   * {@code B} has a low bit set) are never an encoder's output.
   */
  private static boolean paddedBase64(String value) {
    if (value.length() % 4 != 0 || !value.endsWith("==") || value.endsWith("===")) {
      return false;
    }
    String data = value.substring(0, value.length() - 2);
    // The URL-safe '-' and '_' (62, 63) have low bits set: not in BASE64, they read as -1.
    int last = BASE64.indexOf(data.charAt(data.length() - 1));
    return BASE64_TEXT.matcher(data).matches() && (last & 0xf) == 0;
  }

  private static final String BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final Pattern BASE64_TEXT = Pattern.compile("[A-Za-z0-9+/_-]+");

  /** The entries in the order given, each key once (a key given twice is refused before). */
  static Map<String, String> map(List<Map.Entry<String, String>> entries) {
    Map<String, String> map = new LinkedHashMap<>();
    entries.forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }
}
