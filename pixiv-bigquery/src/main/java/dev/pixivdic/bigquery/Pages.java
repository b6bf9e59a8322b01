package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery.TableDataListOption;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import com.google.common.collect.Iterators;
import dev.pixivdic.bigquery.internal.Sql;
import dev.pixivdic.core.Shard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of a query result across its pages, fetched lazily; fetching a further page is a
 * retried step, and a page that cannot be fetched ends the iteration with an
 * {@link UncheckedIOException} whose cause is a {@link dev.pixivdic.bigquery.BigQueryIOException}.
 * Not thread-safe.
 */
final class Pages implements Iterator<FieldValueList> {
  private final Retrier retrier;
  private final String what;
  /** Where further pages are read with {@link #pageSize}; null: as the client pages. */
  private final BigQueryConnection connection;
  private final Long pageSize;
  private TableId results;
  private TableResult page;
  private Iterator<FieldValueList> values;

  /** The rows from {@code first} on, further pages as the client fetches them. */
  public Pages(Retrier retrier, TableResult first, String what) {
    this(retrier, first, what, null, null);
  }

  /**
   * The rows from {@code first} on, each further page at most {@code pageSize} rows long (null:
   * as the client fetches them). The client asks for the first page's size only: its further
   * pages come as large as BigQuery makes them (up to 10 MB), whatever the query asked.
   */
  Pages(Retrier retrier, TableResult first, String what, BigQueryConnection connection,
      Long pageSize) {
    this.retrier = requireNonNull(retrier, "retrier");
    this.page = requireNonNull(first, "first");
    this.what = requireNonNull(what, "what");
    this.connection = pageSize == null ? null : requireNonNull(connection, "connection");
    this.pageSize = pageSize;
    this.values = first.getValues().iterator();
  }

  /**
   * A standard-SQL query of one shard: rows per page, the billing cap, and the
   * {@code @shard_count} and {@code @shard_index} parameters of {@link Sql#shardFilter}.
   */
  public static QueryJobConfiguration.Builder shardQuery(String sql, Shard shard,
      long maximumBytesBilled, long pageSize) {
    return QueryJobConfiguration.newBuilder(sql)
        .setUseLegacySql(false)
        .setMaximumBytesBilled(maximumBytesBilled)
        .setMaxResults(pageSize)
        .addNamedParameter("shard_count", QueryParameterValue.int64(shard.count()))
        .addNamedParameter("shard_index", QueryParameterValue.int64(shard.index()));
  }

  /**
   * Runs a query (a retried step) and streams the rows of all its pages, lazily, each mapped by
   * {@code toItem}; a row mapped to null is left out.
   *
   * @param what the query, as error messages name it
   * @throws IOException when the query fails after retries
   */
  public static <T> Stream<T> stream(BigQueryConnection connection, Retrier retrier,
      QueryJobConfiguration query, String what, Function<FieldValueList, T> toItem)
      throws IOException {
    Jobs jobs = new Jobs(connection);
    TableResult first = retrier.call(what, () -> jobs.firstPage(what, query));
    Iterator<T> items = Iterators.filter(Iterators.transform(
        new Pages(retrier, first, what, connection, query.getMaxResults()), toItem::apply),
        Objects::nonNull);
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  @Override
  public boolean hasNext() {
    while (!values.hasNext() && page.hasNextPage()) {
      TableResult current = page;
      try {
        page = retrier.call(what + ", next page", () -> nextPage(current));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      values = page.getValues().iterator();
    }
    return values.hasNext();
  }

  /**
   * The page after {@code current}: read from the query's results table (named by its job,
   * read once) with the page size, or as the client fetches it when there is none.
   */
  private TableResult nextPage(TableResult current) {
    if (pageSize == null || results == null && current.getJobId() == null) {
      return current.getNextPage();
    }
    if (results == null) {
      Job job = connection.bigQuery().getJob(current.getJobId());
      if (job == null || !(job.getConfiguration() instanceof QueryJobConfiguration q)
          || q.getDestinationTable() == null) {
        return current.getNextPage();
      }
      results = q.getDestinationTable();
    }
    return connection.bigQuery().listTableData(results, current.getSchema(),
        TableDataListOption.pageToken(current.getNextPageToken()),
        TableDataListOption.pageSize(pageSize));
  }

  @Override
  public FieldValueList next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return values.next();
  }
}
