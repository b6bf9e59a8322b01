package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoredKeysTest {

  private static final String HELD = "https://dic.pixiv.net/a/held";
  private static final String OTHER = "https://dic.pixiv.net/a/other";

  @Test
  void aDeferredSetHoldsNothingAndLooksNothingUpWhileNotNeeded() {
    AtomicInteger lookups = new AtomicInteger();
    StoredKeys keys = StoredKeys.deferred(() -> false, () -> {
      lookups.incrementAndGet();
      return StoredKeys.builder().add(HELD).build();
    });

    assertThat(keys.contains(HELD)).isFalse();
    assertThat(keys.known()).isFalse();
    assertThat(keys.size()).isZero();
    assertThat(lookups).hasValue(0);
  }

  @Test
  void aDeferredSetLooksUpOnceWhenFirstNeededAndAnswersFromThatOn() {
    AtomicInteger lookups = new AtomicInteger();
    AtomicBoolean needed = new AtomicBoolean();
    StoredKeys keys = StoredKeys.deferred(needed::get, () -> {
      lookups.incrementAndGet();
      return StoredKeys.builder().add(HELD).build();
    });
    assertThat(keys.contains(HELD)).isFalse();

    needed.set(true);
    assertThat(keys.contains(HELD)).isTrue();
    needed.set(false);
    assertThat(keys.contains(HELD)).isTrue();
    assertThat(keys.contains(OTHER)).isFalse();
    assertThat(keys.known()).isTrue();
    assertThat(keys.size()).isEqualTo(1);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void aFailedLookupThrowsWithItsCauseAndRunsAgainAtTheNextQuestion() {
    AtomicInteger lookups = new AtomicInteger();
    IOException down = new IOException("sink down");
    StoredKeys keys = StoredKeys.deferred(() -> true, () -> {
      if (lookups.incrementAndGet() == 1) {
        throw down;
      }
      return StoredKeys.builder().add(HELD).build();
    });

    assertThatThrownBy(() -> keys.contains(HELD))
        .isInstanceOf(StoredKeys.LookupFailedException.class).hasCause(down);
    assertThat(keys.contains(HELD)).isTrue();
    assertThat(lookups).hasValue(2);
  }

  @Test
  void aLookupFailingUncheckedIsTheSinksFailureAllTheSame() {
    IOException down = new IOException("sink down");
    StoredKeys keys = StoredKeys.deferred(() -> true, () -> {
      throw new java.io.UncheckedIOException(down);
    });

    assertThatThrownBy(() -> keys.contains(HELD))
        .isInstanceOf(StoredKeys.LookupFailedException.class).hasCause(down);
  }

  @Test
  void aNullIsRefusedNamingTheParameter() {
    assertThatThrownBy(() -> StoredKeys.ofFingerprints(null))
        .isInstanceOf(NullPointerException.class).hasMessage("fingerprints");
    assertThatThrownBy(() -> StoredKeys.builder().add(null))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
  }
}
