package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two or more strategies read different values for one column of the same page, or, for a
 * count, one read a count that a rounded, capped or approximate figure another found
 * ({@code 1.2万}) cannot stand for. The parser then leaves the column absent: at least one of
 * them read something that is not this article's, and nothing on the page says which.
 *
 * @param column the row's column name, e.g. {@code works_count}
 * @param values what each strategy read, as text, in strategy order: for a count, the count, or
 *     the figures a strategy that found no count found ({@code 1.2万})
 */
public record Disagreement(String column, Map<Strategy, String> values) {

  public Disagreement {
    requireNonNull(column, "column");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(values, "values")));
    if (values.size() < 2) {
      throw new IllegalArgumentException("a disagreement needs two strategies, got " + values);
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(column).append(':');
    values.forEach((k, v) -> s.append(' ').append(k).append(" '").append(v).append('\''));
    return s.toString();
  }
}
