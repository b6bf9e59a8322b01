package dev.pixivdic.core.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the time of a stored row: an ISO-8601 instant ({@code 2026-12-07T13:14:18Z}, with an
 * offset {@code +09:00}), as pixiv writes it, or BigQuery's canonical text of a
 * {@code TIMESTAMP}, as {@code bq extract} and {@code bq query --format=json} write it
 * ({@code 2026-12-07 13:14:18}, {@code 2026-12-07 13:14:18.123456 UTC}, a date alone): a sink
 * rebuilt from a BigQuery export reads as the one it was loaded from.
 */
public final class Timestamps {

  /**
   * How far ahead of now a stored row's time may lie and still count as made then: clock skew
   * between the writer and the reader. A row stamped later (a writer's clock years ahead, a hand
   * edit) is taken as not stored, so its item is fetched again, rather than as fresh for ever.
   */
  public static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);

  /**
   * The latest time a row may be stamped and count as stored, for a reader whose clock reads
   * {@code now} (a run's, {@code RunConfig.clock}): {@link #FUTURE_TOLERANCE} ahead of it.
   */
  public static Instant storedUntil(Instant now) {
    return now.plus(FUTURE_TOLERANCE);
  }

  /**
   * BigQuery's canonical form: a date, then a time after a space or {@code T} (seconds and a
   * fraction of up to nine digits optional), then, optional, {@code Z}, {@code UTC} or an offset
   * ({@code +9}, {@code +09}, {@code +0900}, {@code +09:00}), with or without a space before.
   * Letters in either case, as ISO-8601 takes {@code t} and {@code z}. Without a zone the time
   * is UTC, as in BigQuery.
   */
  private static final Pattern CANONICAL = Pattern.compile(
      "(\\d{4})-(\\d{1,2})-(\\d{1,2})"
      + "(?:[ Tt](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
      + " ?(?:([Zz]|[Uu][Tt][Cc])|([+-])(\\d{1,2})(?::?(\\d{2}))?)?");

  private Timestamps() {}

  /**
   * The instant {@code text} names. A leap second ({@code 23:59:60}) is read as the second
   * before it, as {@link Instant#parse} reads it: Java's time scale has none.
   *
   * @throws DateTimeParseException when it is neither an ISO-8601 instant nor BigQuery's text of
   *     a timestamp
   */
  public static Instant parse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      Matcher m = CANONICAL.matcher(text);
      if (!m.matches()) {
        throw e;
      }
      try {
        LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        LocalTime time = m.group(4) == null ? LocalTime.MIDNIGHT : LocalTime.of(
            Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
            m.group(6) == null ? 0 : leapless(Integer.parseInt(m.group(6))),
            m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9)));
        ZoneOffset offset = m.group(9) == null ? ZoneOffset.UTC : ZoneOffset.ofHoursMinutes(
            sign(m.group(9)) * Integer.parseInt(m.group(10)),
            m.group(11) == null ? 0 : sign(m.group(9)) * Integer.parseInt(m.group(11)));
        return date.atTime(time).toInstant(offset);
      } catch (DateTimeException | NumberFormatException bad) {
        // 2026-02-30 or 25:00: the shape, not a time.
        e.addSuppressed(bad);
        throw e;
      }
    }
  }

  /** Second 60 (a leap second) as 59; Java's time scale has no leap seconds. */
  private static int leapless(int second) {
    return second == 60 ? 59 : second;
  }

  private static int sign(String s) {
    return s.equals("-") ? -1 : 1;
  }
}
