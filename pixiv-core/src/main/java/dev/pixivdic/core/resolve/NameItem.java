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
 * @param name the name as read (white space at the ends removed), not blank (nor white space
 *     alone once normalised: NFKC makes U+00A0 a space), without control
 *     characters (C0, DEL, C1: {@link Character#isISOControl}) or unpaired surrogates; the key
 *     that shards it and that a re-run skips by
 * @param attributes pass-through columns by name, in source order; copied
 */
public record NameItem(String name, Map<String, String> attributes) {

  public NameItem {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (Normalizer.normalize(name, Normalizer.Form.NFKC).isBlank()) {
      // U+00A0, U+2007 and their kin are no white space to strip(), but NFKC makes them
      // spaces: searched for, the name was an empty query, sent again by every run.
      throw new IllegalArgumentException("a name must hold more than white space");
    }
    ControlChars.first(name).ifPresent(c -> {
      // Searched for, it would find nothing and store a NO_MATCH that hides the bad input.
      throw new IllegalArgumentException("a name must not hold " + c);
    });
    attributes = Collections.unmodifiableMap(
        new LinkedHashMap<>(requireNonNull(attributes, "attributes")));
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
