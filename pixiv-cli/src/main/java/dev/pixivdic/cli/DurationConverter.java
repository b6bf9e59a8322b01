package dev.pixivdic.cli;

import dev.pixivdic.core.internal.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option in the project's grammar ({@link Durations}) and checks it against the
 * option's range. Each subclass is the converter of one option; picocli names the option in the
 * message of a refused value, and the command exits 2. The range is also in the option's
 * description (a test holds the two together).
 */
class DurationConverter implements ITypeConverter<Duration> {

  private final Duration min;
  private final Duration max;

  DurationConverter(Duration min, Duration max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public Duration convert(String value) {
    Duration d;
    try {
      d = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new TypeConversionException("'" + value + "' is out of range: the duration must be "
          + range());
    }
    return d;
  }

  /** The range as the help and the messages show it: {@code from 1s to 10m}. */
  final String range() {
    return "from " + Durations.format(min) + " to " + Durations.format(max);
  }

  static final class BigQueryTimeout extends DurationConverter {
    BigQueryTimeout() {
      super(Duration.ofMillis(100), Duration.ofDays(24));
    }
  }

  /** {@code --refresh-after}: zero refreshes everything; ten years is "never" in practice. */
  static final class RefreshAfter extends DurationConverter {
    RefreshAfter() {
      super(Duration.ZERO, Duration.ofDays(3650));
    }
  }

  /** {@code --flush-interval}: a batch waits at least a second and at most a day. */
  static final class FlushInterval extends DurationConverter {
    FlushInterval() {
      super(Duration.ofSeconds(1), Duration.ofDays(1));
    }
  }

  /** {@code --request-timeout}: one request may take a second to ten minutes. */
  static final class RequestTimeout extends DurationConverter {
    RequestTimeout() {
      super(Duration.ofSeconds(1), Duration.ofMinutes(10));
    }
  }

  /** {@code --backoff}: the first retry delay; later ones double up to five minutes. */
  static final class Backoff extends DurationConverter {
    Backoff() {
      super(Duration.ofMillis(1), Duration.ofMinutes(1));
    }
  }
}
