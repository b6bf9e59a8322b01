package dev.pixivdic.cli;

import dev.pixivdic.core.internal.SettingRanges;
import dev.pixivdic.support.cli.RangedDurationConverter;
import java.time.Duration;

/**
 * The ranges of {@code pixiv}'s duration options: one subclass per option (the reading and the
 * messages are {@link RangedDurationConverter}'s, shared with {@code pixiv-launch}).
 */
class DurationConverter extends RangedDurationConverter {

  DurationConverter(Duration min, Duration max) {
    super(min, max);
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
      super(SettingRanges.FLUSH_INTERVAL.min(), SettingRanges.FLUSH_INTERVAL.max());
    }
  }

  /** {@code --request-timeout}: one request may take a second to ten minutes. */
  static final class RequestTimeout extends DurationConverter {
    RequestTimeout() {
      super(SettingRanges.REQUEST_TIMEOUT.min(), SettingRanges.REQUEST_TIMEOUT.max());
    }
  }

  /** {@code --backoff}: the first retry delay; later ones double up to five minutes. */
  static final class Backoff extends DurationConverter {
    Backoff() {
      super(Duration.ofMillis(1), Duration.ofMinutes(1));
    }
  }
}
