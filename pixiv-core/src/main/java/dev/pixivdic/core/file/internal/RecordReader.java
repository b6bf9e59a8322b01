package dev.pixivdic.core.file.internal;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/** Reads raw records (a URL string and pass-through columns) from one source format. */
interface RecordReader extends Closeable {

  /**
   * One record, or a rejected line.
   *
   * @param line one-based line where the record starts
   * @param url the URL (or other key) as written; null when {@code problem} is set, and for a
   *     record whose key is an explicit JSON null ({@link #noKey})
   * @param attributes pass-through columns
   * @param problem why the line was rejected, or null
   */
  record Raw(long line, String url, Map<String, String> attributes, String problem) {
    static Raw ok(long line, String url, Map<String, String> attributes) {
      return new Raw(line, url, attributes, null);
    }

    static Raw bad(long line, String problem) {
      return new Raw(line, null, Map.of(), problem);
    }

    /** A well-formed record that says it has no key, such as a name without a match. */
    static Raw noKey(long line) {
      return new Raw(line, null, Map.of(), null);
    }

    boolean isNoKey() {
      return url == null && problem == null;
    }
  }

  /**
   * The next record, or null at the end.
   *
   * @throws BadSourceLineException when the rest of the input cannot be read reliably
   */
  Raw next() throws IOException;
}
