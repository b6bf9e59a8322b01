package dev.pixivdic.core.file.internal;

import java.util.List;

/**
 * How an {@link NdjsonRowSink} stores one row type: the JSON line of a row, and which fields of
 * a stored line hold its key and the time it was made. Implementations are stateless and
 * thread-safe.
 *
 * @param <R> the row type
 */
public interface NdjsonCodec<R> {

  /** The row as one line of JSON, without a newline. */
  String toJson(R row);

  /** Whether a line read back is a whole row; a torn last line is not, and is cut away. */
  boolean isRow(String line);

  /** The string field that holds a row's key, the key the run engine skips by. */
  String keyField();

  /**
   * The string field holding the ISO-8601 instant the row was made; older rows are not
   * "stored".
   */
  String timeField();

  /**
   * The key of a stored row from its {@link #keyField()} value; by default the value itself.
   *
   * @throws IllegalArgumentException when the value is not a valid key
   */
  default String key(String value) {
    return value;
  }

  /**
   * Fields every line written with this codec has at the top level, the key field first: a file
   * whose first line lacks one was not written by this project and is left alone. By default
   * the key and time fields.
   */
  default List<String> signature() {
    return List.of(keyField(), timeField());
  }

  /** What such a file is, with its article, for messages; by default "an NDJSON sink". */
  default String kind() {
    return "an NDJSON sink";
  }
}
