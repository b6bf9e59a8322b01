package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

/**
 * A line of a source that could not be turned into a work item and was skipped.
 *
 * @param source the file name, or {@code stdin}
 * @param line the one-based line number where the record starts
 * @param message why the line was rejected
 */
public record SourceProblem(String source, long line, String message) {

  public SourceProblem {
    requireNonNull(source, "source");
    requireNonNull(message, "message");
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1, was " + line);
    }
  }

  /** {@code source:line: message}, as compilers write it. */
  @Override
  public String toString() {
    return source + ":" + line + ": " + message;
  }
}
