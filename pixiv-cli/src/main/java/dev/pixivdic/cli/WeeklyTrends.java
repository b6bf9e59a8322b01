package dev.pixivdic.cli;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Outcome;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The weekly table of an article history, with the rules of the BigQuery view
 * {@code <table>_weekly}: per URL and ISO week of Asia/Tokyo, the counts of the week's newest
 * article row, and each count's change from the week before, null when that week has no row
 * or either count is null. Not thread-safe; feed it rows, then read {@link #weeks()}.
 */
final class WeeklyTrends {

  /** The site's time zone, whose weeks the weekly run keeps whole. */
  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  /** The counts followed, with their column names. */
  enum Count {
    VIEW("view_count", ArticleRow::viewCount),
    WORKS("works_count", ArticleRow::worksCount),
    COMMENT("comment_count", ArticleRow::commentCount),
    CHECKLIST("checklist_count", ArticleRow::checklistCount);

    final String column;
    final Function<ArticleRow, Long> of;

    Count(String column, Function<ArticleRow, Long> of) {
      this.column = column;
      this.of = of;
    }
  }

  /**
   * One row of the table; {@code counts} and {@code changes} hold nulls, in {@link Count} order.
   */
  record Week(String url, LocalDate monday, String title, Instant loadedAt, List<Long> counts,
      List<Long> changes) {
    Week {
      requireNonNull(url, "url");
      requireNonNull(monday, "monday");
      requireNonNull(loadedAt, "loadedAt");
      counts = java.util.Collections.unmodifiableList(new ArrayList<>(counts));
      changes = java.util.Collections.unmodifiableList(new ArrayList<>(changes));
    }

    int isoYear() {
      return monday.get(IsoFields.WEEK_BASED_YEAR);
    }

    int isoWeek() {
      return monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }
  }

  private record Key(String url, LocalDate monday) {}

  /** The first instant a week is made of: BigQuery's TIMESTAMP range, years 0001 to 9999. */
  static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
  /** The last instant a week is made of. */
  static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private final Map<Key, ArticleRow> newest = new HashMap<>();

  /**
   * Why an article row has no week: it has no {@code loaded_at}, or one outside the years 0001
   * to 9999 (UTC), which BigQuery cannot hold either, or a negative count. Null for a row with
   * a week, and for a row other than an article, which is no week whatever its time.
   */
  static String noWeek(ArticleRow row) {
    if (row.status() != Outcome.ARTICLE) {
      return null;
    }
    Instant at = row.loadedAt();
    if (at == null) {
      return "the row has no 'loaded_at'";
    }
    if (at.isBefore(FIRST) || at.isAfter(LAST)) {
      return "'loaded_at' must lie in the years 0001 to 9999, was " + at;
    }
    for (Count c : Count.values()) {
      Long n = c.of.apply(row);
      if (n != null && n < 0) {
        // The parser never stores one; a week-over-week change from it could overflow.
        return "'" + c.column + "' must not be negative, was " + n;
      }
    }
    return null;
  }

  /**
   * Takes one row of the history; rows other than articles, and those {@link #noWeek} names,
   * are left out.
   */
  void add(ArticleRow row) {
    if (row.status() != Outcome.ARTICLE || noWeek(row) != null) {
      return;
    }
    Key key = new Key(row.url(), monday(row.loadedAt()));
    newest.merge(key, row, (a, b) -> b.loadedAt().isAfter(a.loadedAt()) ? b : a);
  }

  /** The table, by URL then week. */
  List<Week> weeks() {
    List<Week> out = new ArrayList<>();
    for (Map.Entry<Key, ArticleRow> e : newest.entrySet()) {
      ArticleRow row = e.getValue();
      ArticleRow before = newest.get(new Key(e.getKey().url(), e.getKey().monday().minusWeeks(1)));
      List<Long> counts = new ArrayList<>();
      List<Long> changes = new ArrayList<>();
      for (Count c : Count.values()) {
        Long now = c.of.apply(row);
        Long then = before == null ? null : c.of.apply(before);
        counts.add(now);
        changes.add(now == null || then == null ? null : now - then);
      }
      out.add(new Week(row.url(), e.getKey().monday(), row.title(), row.loadedAt(), counts,
          changes));
    }
    out.sort(Comparator.comparing(Week::url).thenComparing(Week::monday));
    return out;
  }

  /** The Monday of the ISO week (in Tokyo) of an instant. */
  static LocalDate monday(Instant at) {
    return LocalDate.ofInstant(at, TOKYO).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }
}
