package dev.pixivdic.bigquery.internal;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.TableResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The rows of a query result across its pages, fetched lazily; fetching a further page is a
 * retried step, and a page that cannot be fetched ends the iteration with an
 * {@link UncheckedIOException} whose cause is a {@link dev.pixivdic.bigquery.BigQueryIOException}.
 * Not thread-safe.
 */
public final class Pages implements Iterator<FieldValueList> {
  private final Retrier retrier;
  private final String what;
  private TableResult page;
  private Iterator<FieldValueList> values;

  public Pages(Retrier retrier, TableResult first, String what) {
    this.retrier = requireNonNull(retrier, "retrier");
    this.page = requireNonNull(first, "first");
    this.what = requireNonNull(what, "what");
    this.values = first.getValues().iterator();
  }

  @Override
  public boolean hasNext() {
    while (!values.hasNext() && page.hasNextPage()) {
      TableResult current = page;
      try {
        page = retrier.call(what + ", next page", current::getNextPage);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      values = page.getValues().iterator();
    }
    return values.hasNext();
  }

  @Override
  public FieldValueList next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return values.next();
  }
}
