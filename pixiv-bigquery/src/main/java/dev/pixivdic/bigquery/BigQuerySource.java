package dev.pixivdic.bigquery;

import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryParameterValue;
import dev.pixivdic.bigquery.internal.Sql;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.internal.SourceUrls;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads work items from a BigQuery table with one parameterised query per shard:
 *
 * <pre>
 * SELECT s.`url`, CAST(s.`middle_class_ip_name` AS STRING)
 * FROM `project.dataset.source` AS s
 * WHERE s.`url` IS NOT NULL
 *   AND (MOD(MOD(FARM_FINGERPRINT(s.`url`), @shard_count) + @shard_count, @shard_count)
 *       = @shard_index OR NOT REGEXP_CONTAINS(s.`url`, @canonical))
 *   AND NOT EXISTS (SELECT 1 FROM `project.dataset.destination` AS d
 *                   WHERE d.url = s.`url` AND d.loaded_at &gt;= @since
 *                     AND d.loaded_at &lt;= @until)
 * ORDER BY 1, 2
 * </pre>
 *
 * <p>Table and column names are validated and quoted; every value is a query parameter. A URL
 * stored in its canonical spelling ({@link #CANONICAL}) is read by the shard of its hash, which
 * equals {@link Shard#contains}; any other spelling is read by every shard and kept by the shard
 * of its canonical URL (an invalid one by the shard of its stored string's hash). So every
 * stored string is taken by exactly one shard, and every spelling of an article by the same
 * one: an article listed as {@code http://...} and {@code https://...} is fetched once, and the
 * sink's {@code stored()} of that shard holds it. The anti-join (when a destination is given)
 * is left out while the destination table does not exist yet; it compares stored strings, so a
 * non-canonical source URL is only skipped by the sink's own {@code stored()} check (which an
 * {@link AntiJoinSkip} runs for such a URL).
 *
 * <p>URLs that are not article URLs are logged, counted ({@link #invalidUrls()}) and skipped; a
 * URL listed twice (after canonicalisation) yields one item, the first in query order. Results
 * are paged lazily; a page that cannot be fetched after retries ends the stream with an
 * {@link java.io.UncheckedIOException} whose cause is a {@link BigQueryIOException}.
 *
 * <p>Thread-safe; each {@link #items} call runs its own query.
 */
public final class BigQuerySource implements Source<WorkItem> {

  /** The default pass-through column: the name the original batch resolved the URL from. */
  public static final List<String> DEFAULT_PASS_THROUGH = List.of("middle_class_ip_name");

  /**
   * A canonical article URL as a regular expression of RE2 and {@code java.util.regex} alike:
   * the prefix, then unreserved characters and upper-case escapes of the other bytes. A stored
   * URL that matches it and is an article URL is its own canonical URL.
   */
  static final String CANONICAL = "^https://dic\\.pixiv\\.net/a/(?:[A-Za-z0-9._~-]"
      + "|%(?:[0189A-F][0-9A-F]|2[0-9A-CF]|3[A-F]|40|5[B-E]|60|7[B-DF]))+$";

  private static final String PREFIX = "https://dic.pixiv.net/a/";
  private static final Logger LOG = LoggerFactory.getLogger(BigQuerySource.class);
  private static final int LOGGED_INVALID = 20;

  private final SourceQuery query;
  private final String urlColumn;
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();

  private BigQuerySource(SourceQuery query, String urlColumn) {
    this.query = query;
    this.urlColumn = urlColumn;
  }

  /** A builder for a source reading {@code table}. */
  public static Builder builder(BigQueryConnection connection, TableRef table) {
    return new Builder(connection, table);
  }

  /** How many source URLs were skipped as invalid, over all {@link #items} calls. */
  public long invalidUrls() {
    return invalid.get();
  }

  /**
   * How many source rows were skipped as another spelling of, or the same, URL as a row read
   * before, over all {@link #items} calls.
   */
  public long duplicateUrls() {
    return duplicates.get();
  }

  /** The query text for a shard; with the anti-join when {@code antiJoin} is true. */
  String sql(boolean antiJoin) {
    StringBuilder q = new StringBuilder("SELECT s.").append(Sql.column(urlColumn)).append(" AS u")
        .append(query.selectPassThrough());
    String url = "s." + Sql.column(urlColumn);
    q.append("\nFROM ").append(query.table().sql()).append(" AS s\nWHERE ").append(url)
        .append(" IS NOT NULL\n  AND (").append(Sql.shardFilter(url))
        .append(" OR NOT REGEXP_CONTAINS(").append(url).append(", @canonical))");
    if (antiJoin) {
      q.append("\n  AND NOT EXISTS (SELECT 1 FROM ").append(query.skipTable().orElseThrow().sql())
          .append(" AS d WHERE d.url = ").append(url).append(" AND d.loaded_at >= @since")
          .append(" AND d.loaded_at <= @until)");
    }
    // The first row of a URL is kept: one with a value before one without (NULLs sort first).
    return q.append("\nORDER BY u").append(query.passThroughOrder()).toString();
  }

  /**
   * The items of the shard not stored in the destination within the refresh window, ordered by
   * URL.
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the query (no such table or column,
   *     permissions, more bytes than {@code maximumBytesBilled})
   */
  @Override
  public Stream<WorkItem> items(Shard shard) throws IOException {
    Set<String> seen = new HashSet<>();
    return query.items(shard, this::sql,
        Map.of("canonical", QueryParameterValue.string(CANONICAL)), "query of " + query.table(),
        row -> toItem(row, shard, seen));
  }

  private WorkItem toItem(FieldValueList row, Shard shard, Set<String> seen) {
    if (row.get(0).isNull()) {
      // The query leaves NULL out (a resolution table's NO_MATCH rows have no url); a row
      // without one is nothing to scrape, not an invalid URL.
      return null;
    }
    String raw = row.get(0).getStringValue();
    Optional<ArticleUrl> url = SourceUrls.tryParse(raw);
    if (!canonicalSpelling(raw)
        && !shard.contains(url.map(ArticleUrl::canonical).orElse(raw))) {
      // Every shard reads this spelling: the shard of the article's canonical URL takes it.
      return null;
    }
    if (url.isEmpty()) {
      long n = invalid.incrementAndGet();
      if (n <= LOGGED_INVALID) {
        LOG.warn("skipping source row of {}: not an article URL: '{}'", query.table(), raw);
      }
      return null;
    }
    if (!seen.add(url.get().canonical())) {
      duplicates.incrementAndGet();
      LOG.debug("skipping duplicate source URL {}", raw);
      return null;
    }
    if (!raw.equals(url.get().canonical())) {
      query.skip().ifPresent(AntiJoinSkip::yieldedNonCanonical);
    }
    return new WorkItem(url.get(), query.attributes(row));
  }

  /**
   * Whether {@code raw} matches {@link #CANONICAL}, read without {@code java.util.regex}: its
   * repetition of a group takes stack frames per character, so a title of a few hundred
   * escaped characters (a long Japanese title) overflowed the stack and ended the shard.
   * BigQuery's RE2 has no such limit.
   */
  static boolean canonicalSpelling(String raw) {
    if (!raw.startsWith(PREFIX) || raw.length() == PREFIX.length()) {
      return false;
    }
    int i = PREFIX.length();
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (unreserved(c)) {
        i++;
        continue;
      }
      if (c != '%' || i + 2 >= raw.length()) {
        return false;
      }
      int hi = upperHex(raw.charAt(i + 1));
      int lo = upperHex(raw.charAt(i + 2));
      if (hi < 0 || lo < 0 || unreserved((char) (hi * 16 + lo))) {
        return false; // not an upper-case escape of a byte that is not unreserved
      }
      i += 3;
    }
    return true;
  }

  private static boolean unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static int upperHex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /** Options of a {@link BigQuerySource}; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private final SourceQuery.Options options;
    private String urlColumn = "url";

    private Builder(BigQueryConnection connection, TableRef table) {
      this.options = new SourceQuery.Options(connection, table, DEFAULT_PASS_THROUGH);
    }

    /**
     * The column holding the URL; default {@code url} (BigQuery column names ignore case, so it
     * matches the original table's {@code URL}).
     *
     * @throws IllegalArgumentException naming the column when it is not a valid column name
     */
    public Builder urlColumn(String column) {
      this.urlColumn = Sql.checkColumn(column);
      return this;
    }

    /**
     * Source columns copied to each item (and on to its row) as strings; default
     * {@code middle_class_ip_name}. An empty list copies none.
     *
     * @throws IllegalArgumentException naming a column that is not a valid column name
     * @throws NullPointerException naming {@code passThroughColumns} when the list or one of its
     *     columns is null
     */
    public Builder passThroughColumns(List<String> columns) {
      options.passThroughColumns(columns);
      return this;
    }

    /**
     * Skips URLs that {@code destination} holds a row for, loaded within the refresh window
     * before now (the {@code NOT EXISTS} anti-join). Off by default.
     */
    public Builder skipStoredIn(TableRef destination, Duration refreshWindow) {
      options.skipRowsIn(destination, "destination", refreshWindow, "url", "loaded_at");
      return this;
    }

    /**
     * As {@link #skipStoredIn(TableRef, Duration)}, and tells {@code skip} what the anti-join
     * left out, so that the sink given the same {@code skip} need not query what it holds
     * ({@link AntiJoinSkip}).
     */
    public Builder skipStoredIn(TableRef destination, Duration refreshWindow,
        AntiJoinSkip skip) {
      options.skip(skip);
      return skipStoredIn(destination, refreshWindow);
    }

    /** The most bytes one shard query may bill; default 1 GiB. */
    public Builder maximumBytesBilled(long bytes) {
      options.maximumBytesBilled(bytes);
      return this;
    }

    /** Rows per result page; default 10,000. */
    public Builder pageSize(long rows) {
      options.pageSize(rows);
      return this;
    }

    /** The clock the refresh window counts back from; default UTC system clock. */
    public Builder clock(Clock clock) {
      options.clock(clock);
      return this;
    }

    /**
     * The source. Makes no call to BigQuery.
     *
     * @throws IllegalArgumentException when a pass-through column is the URL column or listed
     *     twice
     */
    public BigQuerySource build() {
      return new BigQuerySource(options.build(urlColumn, "URL", "destination"), urlColumn);
    }
  }
}
