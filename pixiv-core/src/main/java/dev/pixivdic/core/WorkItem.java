package dev.pixivdic.core;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One article to fetch, with the source columns that pass through to its row (for example
 * {@code middle_class_ip_name}).
 *
 * @param url the article
 * @param attributes pass-through columns by name, in source order; copied
 */
public record WorkItem(ArticleUrl url, Map<String, String> attributes) {

  /**
   * Checks and copies.
   *
   * @throws NullPointerException when {@code url} or {@code attributes} is null, or
   *     {@code attributes} holds a null name or value (a source leaves an absent column out)
   */
  public WorkItem {
    requireNonNull(url, "url");
    requireNonNull(attributes, "attributes");
    attributes.forEach((k, v) -> {
      requireNonNull(k, "attributes holds a null name");
      requireNonNull(v, () -> "attributes['" + k + "'] is null; leave an absent column out");
    });
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** An item with no pass-through columns. */
  public static WorkItem of(ArticleUrl url) {
    return new WorkItem(url, Map.of());
  }

  /** The key that shards and de-duplicates the item: the canonical URL. */
  public String key() {
    return url.canonical();
  }
}
