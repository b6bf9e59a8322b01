package dev.pixivdic.core.fetch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110, section 10.2.3). */
final class RetryAfter {

  private RetryAfter() {}

  /**
   * The delay asked for; a date in the past gives zero. Empty when the header is absent or
   * malformed (then the ordinary backoff applies). A date is read against {@code serverDate}
   * (the answer's {@code Date} header, may be null) when that is readable, else against
   * {@code now}: both of the server's are its clock, so the delay is what the server meant
   * whatever this host's clock says (one five minutes behind would otherwise wait five minutes
   * longer, one ahead not at all).
   */
  static Optional<Duration> parse(String value, String serverDate, Instant now) {
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
   * anything), control characters as {@code ?}.
   */
  static String quoted(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  private static Instant date(String v) {
    // RFC_1123_DATE_TIME covers IMF-fixdate, the form servers are required to send.
    return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
  }
}
