package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalsTest {

  /** Raises signal {@code name} in this process, as {@code kill -NAME} would. */
  private static void raise(String name) throws Exception {
    Class<?> signal = Class.forName("sun.misc.Signal");
    Method raise = signal.getMethod("raise", signal);
    raise.invoke(null, signal.getConstructor(String.class).newInstance(name));
  }

  @Test
  void aHandlerIsToldWhichSignalCameAndRestoringPutsTheJvmsOwnBack() throws Exception {
    BlockingQueue<Integer> codes = new ArrayBlockingQueue<>(4);

    Map<Object, Object> jvms = Signals.handle(Map.of("HUP", 129), codes::add);
    try {
      raise("HUP");
      assertThat(codes.poll(10, TimeUnit.SECONDS)).isEqualTo(129);
    } finally {
      assertThat(Signals.restore(jvms)).as("restored without a failure").isNull();
    }
    // What is in place now is what was there before: the JVM's own handler (each read of it
    // comes in a wrapper of its own, which names it).
    Map<Object, Object> again = Signals.handle(Map.of("HUP", 1), c -> { });
    try {
      assertThat(again.values()).map(Object::toString)
          .containsExactlyElementsOf(jvms.values().stream().map(Object::toString).toList())
          .allSatisfy(h -> assertThat(h).doesNotContain("pixiv signal handler"));
    } finally {
      Signals.restore(again);
    }
  }

  @Test
  void aSignalThatCannotBeHandledPutsBackTheHandlersAlreadyReplacedAndSaysWhy() {
    Map<String, Integer> codes = new LinkedHashMap<>();
    codes.put("HUP", 129);
    codes.put("NO_SUCH_SIGNAL", 1);

    assertThatThrownBy(() -> Signals.handle(codes, c -> { }))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("signal handlers unavailable")
        .hasMessageContaining("NO_SUCH_SIGNAL");
    Map<Object, Object> now = Signals.handle(Map.of("HUP", 1), c -> { });
    try {
      assertThat(now.values()).singleElement().asString()
          .as("HUP's handler is not the one the failed call installed")
          .doesNotContain("pixiv signal handler");
    } finally {
      Signals.restore(now);
    }
  }
}
