package dev.pixivdic.launcher;

import dev.pixivdic.launcher.manifest.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option ({@link Durations}) and checks it against the option's range. Each
 * subclass is the converter of one option; picocli names the option in the message of a refused
 * value, and the command exits 2. The range is also in the option's description.
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

  /** The range as the help and the messages show it: {@code from 1s to 30d}. */
  final String range() {
    return "from " + Durations.format(min) + " to " + Durations.format(max);
  }

  /** {@code --active-deadline}: Kubernetes counts whole seconds; a month bounds a weekly run. */
  static final class ActiveDeadline extends DurationConverter {
    ActiveDeadline() {
      super(Duration.ofSeconds(1), Duration.ofDays(30));
    }
  }

  /** {@code --ttl}: zero deletes a finished Job at once; a month is long enough to look. */
  static final class Ttl extends DurationConverter {
    Ttl() {
      super(Duration.ZERO, Duration.ofDays(30));
    }
  }

  /** {@code --startup-timeout}: image pulls and scheduling, a second to a day. */
  static final class StartupTimeout extends DurationConverter {
    StartupTimeout() {
      super(Duration.ofSeconds(1), Duration.ofDays(1));
    }
  }

  /** {@code --log-idle-timeout}: a silent log stream is reopened after a second to a day. */
  static final class LogIdleTimeout extends DurationConverter {
    LogIdleTimeout() {
      super(Duration.ofSeconds(1), Duration.ofDays(1));
    }
  }

  /** {@code --drain-timeout}: the wait for the last log lines, none to an hour. */
  static final class DrainTimeout extends DurationConverter {
    DrainTimeout() {
      super(Duration.ZERO, Duration.ofHours(1));
    }
  }

  /**
   * {@code --api-retry-timeout}: how long transient API failures are retried; zero tries once,
   * a day outlasts any control-plane upgrade.
   */
  static final class ApiRetryTimeout extends DurationConverter {
    ApiRetryTimeout() {
      super(Duration.ZERO, Duration.ofDays(1));
    }
  }
}
