package dev.pixivdic.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.ControlChars;
import java.text.Normalizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One name to resolve, with the source columns that pass through to its rows.
 *
 * @param name the name as read (white space at the ends removed), holding a visible character
 *     (not white space alone once normalised, NFKC making U+00A0 a space, nor characters that
 *     show as nothing, such as U+200B), without control
 *     characters (C0, DEL, C1: {@link Character#isISOControl}) or unpaired surrogates; the key
 *     that shards it and that a re-run skips by
 * @param attributes pass-through columns by name, in source order; copied
 */
public record NameItem(String name, Map<String, String> attributes) {

  /**
   * The longest name, in characters: a name of a list file is a line of at most as many, and
   * one from a table is held to the same, so that the strip rules' bound
   * ({@code NameCleaner.RULE_READS}) is never spent on a name's length alone.
   */
  public static final int MAX_LENGTH = 8 * 1024;

  public NameItem {
    requireNonNull(name, "name");
    if (name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a name must be at most " + MAX_LENGTH
          + " characters, was " + name.length());
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (Normalizer.normalize(name, Normalizer.Form.NFKC).isBlank() || invisible(name)) {
      // U+00A0, U+2007 and their kin are no white space to strip(), but NFKC makes them
      // spaces; U+200B, U+FEFF and the like show as nothing: searched for, the name was an
      // empty or invisible query, sent again by every run.
      throw new IllegalArgumentException("a name must hold a visible character, not only white"
          + " space or characters that show as nothing");
    }
    ControlChars.first(name).ifPresent(c -> {
      // Searched for, it would find nothing and store a NO_MATCH that hides the bad input.
      throw new IllegalArgumentException("a name must not hold " + c);
    });
    attributes = Collections.unmodifiableMap(
        new LinkedHashMap<>(requireNonNull(attributes, "attributes")));
  }

  /**
   * Whether every character of {@code s}, as read, shows as nothing
   * ({@link ControlChars#isBlank}). As read, not after NFKC, which makes the visible ゛ or ´ a
   * space and a mark.
   */
  private static boolean invisible(String s) {
    return s.codePoints().allMatch(ControlChars::isBlank);
  }

  /** A name with no pass-through columns. */
  public static NameItem of(String name) {
    return new NameItem(name, Map.of());
  }

  /** The key that shards and de-duplicates the item: the name itself. */
  public String key() {
    return name;
  }
}
