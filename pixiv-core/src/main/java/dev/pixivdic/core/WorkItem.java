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

  public WorkItem {
    requireNonNull(url, "url");
    attributes = Collections.unmodifiableMap(
        new LinkedHashMap<>(requireNonNull(attributes, "attributes")));
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
