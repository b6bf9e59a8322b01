package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.fetch.HandedBack;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryQueueTest {

  @Test
  void aClearedQueueGivesUpEveryRetryThatWaitedInTheFetcher() {
    AtomicInteger abandoned = new AtomicInteger();
    RetryQueue<String> queue = new RetryQueue<>();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    queue.add("a", now, HandedBack.retryLater(URI.create("https://dic.pixiv.net/a/a"),
        Duration.ofSeconds(2), abandoned::incrementAndGet));
    queue.add("b", now, HandedBack.retryLater(URI.create("https://dic.pixiv.net/a/b"),
        Duration.ofSeconds(4), abandoned::incrementAndGet));

    queue.clear();

    assertThat(queue.isEmpty()).isTrue();
    assertThat(abandoned).hasValue(2);
  }
}
