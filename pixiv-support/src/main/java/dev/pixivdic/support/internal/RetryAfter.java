package dev.pixivdic.support.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110, section 10.2.3), in any
 * of the HTTP-date's three forms. The fetcher's and the launcher's, alike.
 */
public final class RetryAfter {

  /**
   * The three forms of an HTTP-date, which a recipient must all read (RFC 9110, section 5.6.7):
   * IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}, which {@code RFC_1123_DATE_TIME} covers),
   * RFC 850 ({@code Sunday, 06-Nov-94 08:49:37 GMT}; a two-digit year is one of 1970-2069) and
   * asctime ({@code Sun Nov  6 08:49:37 1994}).
   */
  private static final List<DateTimeFormatter> HTTP_DATES = List.of(
      DateTimeFormatter.RFC_1123_DATE_TIME,
      new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
          .appendValueReduced(ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss 'GMT'")
          .toFormatter(Locale.US).withZone(ZoneOffset.UTC),
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
          .withZone(ZoneOffset.UTC));

  private RetryAfter() {}

  /**
   * The delay asked for; a date in the past gives zero. Empty when the header is absent or
   * malformed (then the ordinary backoff applies). A date is read against {@code serverDate}
   * (the answer's {@code Date} header, may be null) when that is readable, else against
   * {@code now}: both of the server's are its clock, so the delay is what the server meant
   * whatever this host's clock says (one five minutes behind would otherwise wait five minutes
   * longer, one ahead not at all).
   */
  public static Optional<Duration> parse(String value, String serverDate, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException e) {
        // More digits than a long holds: absurdly far, treat as "very long".
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
      }
    }
    try {
      Instant at = date(v);
      Instant from = now;
      if (serverDate != null) {
        try {
          from = date(serverDate.trim());
        } catch (DateTimeParseException e) {
          // An unreadable Date says nothing; this host's clock it is.
        }
      }
      Duration d = Duration.between(from, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code value} in single quotes for a log line: at most 40 characters (a server may send
   * anything), escaped as every text from outside is ({@link LogText#escaped(String, int)}).
   */
  public static String quoted(String value) {
    return "'" + LogText.escaped(value, 40) + "'";
  }

  /** An HTTP-date in any of its three forms, empty when {@code text} is none. */
  public static Optional<Instant> httpDate(String text) {
    try {
      return Optional.of(date(text.strip()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Instant date(String v) {
    DateTimeParseException first = null;
    for (DateTimeFormatter form : HTTP_DATES) {
      try {
        return ZonedDateTime.parse(v, form).toInstant();
      } catch (DateTimeParseException e) {
        first = first == null ? e : first;
      }
    }
    throw first;
  }
}
