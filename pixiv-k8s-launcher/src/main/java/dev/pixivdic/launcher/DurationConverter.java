package dev.pixivdic.launcher;

import dev.pixivdic.support.cli.RangedDurationConverter;
import java.time.Duration;

/**
 * The ranges of {@code pixiv-launch}'s duration options: one subclass per option (the reading
 * and the messages are {@link RangedDurationConverter}'s, shared with {@code pixiv}).
 */
class DurationConverter extends RangedDurationConverter {

  DurationConverter(Duration min, Duration max) {
    super(min, max);
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
