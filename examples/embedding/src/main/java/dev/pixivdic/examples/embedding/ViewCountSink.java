package dev.pixivdic.examples.embedding;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An application's own {@link Sink}: keeps the latest title and view count of each article in
 * memory. Keyed by URL, so writing the same batch twice stores it once, as the contract asks.
 * Thread-safe.
 */
public final class ViewCountSink implements Sink<ArticleRow> {

  /** What the application keeps of a row. */
  public record Entry(String title, Long viewCount, Instant loadedAt) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  @Override
  public StoredKeys stored(Shard shard, Instant since) {
    StoredKeys.Builder keys = StoredKeys.builder();
    entries.forEach((url, e) -> {
      if (shard.contains(url) && e.loadedAt() != null && !e.loadedAt().isBefore(since)) {
        keys.add(url);
      }
    });
    return keys.build();
  }

  @Override
  public void write(List<ArticleRow> batch) {
    for (ArticleRow row : batch) {
      if (row.status() == Outcome.ARTICLE) {
        entries.put(row.url(), new Entry(row.title(), row.viewCount(), row.loadedAt()));
      }
    }
  }

  /** A snapshot, sorted by URL. */
  public Map<String, Entry> entries() {
    return new TreeMap<>(entries);
  }
}
