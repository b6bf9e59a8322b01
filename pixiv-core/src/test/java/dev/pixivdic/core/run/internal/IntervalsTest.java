package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.support.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IntervalsTest {

  private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");

  @Test
  void aMonotonicClockMovesOnlyWithItsNanosWhateverTheWallClockDoes() {
    AtomicLong nanos = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    Clock clock = Intervals.monotonic(T0, nanos::get, ZoneOffset.UTC);

    assertThat(clock.instant()).isEqualTo(T0);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(2));
    assertThat(clock.withZone(ZoneId.of("Asia/Tokyo")).instant()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void aSystemClockIsReadThroughNanoTime() {
    for (Clock system : new Clock[] {Clock.systemUTC(), Clock.system(ZoneId.of("Asia/Tokyo"))}) {
      Clock intervals = Intervals.of(system);

      assertThat(intervals).isNotEqualTo(system);
      assertThat(intervals.getZone()).isEqualTo(system.getZone());
      assertThat(Duration.between(system.instant(), intervals.instant()).abs())
          .isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void aFixedClockIsReadThroughNanoTimeFromItsInstant() {
    Clock fixed = Clock.fixed(T0, ZoneId.of("Asia/Tokyo"));
    Clock intervals = Intervals.of(fixed);

    assertThat(intervals).isNotEqualTo(fixed);
    assertThat(intervals.getZone()).isEqualTo(fixed.getZone());
    Duration since = Duration.between(T0, intervals.instant());
    assertThat(since.isNegative()).isFalse();
    assertThat(since).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void aClockThatIsNeitherTheSystemsNorFixedIsUsedAsItIs() {
    Clock offset = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    MutableClock moved = new MutableClock(T0);

    assertThat(Intervals.of(offset)).isSameAs(offset);
    assertThat(Intervals.of(moved)).isSameAs(moved);
  }
}
