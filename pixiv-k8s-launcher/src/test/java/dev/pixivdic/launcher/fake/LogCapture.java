package dev.pixivdic.launcher.fake;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Captures everything the launcher logs (messages and stack traces, every level at or above the
 * configured one) while open, as the shipped logback configuration would print it to stderr.
 */
public final class LogCapture implements AutoCloseable {
  private final ByteArrayOutputStream buffer = new NotifyingBuffer();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final Logger root;

  private LogCapture() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%level %logger{0}: %msg%n%ex");
    encoder.start();
    appender.setContext(ctx);
    appender.setEncoder(encoder);
    appender.setOutputStream(buffer);
    appender.setImmediateFlush(true);
    appender.start();
    root.addAppender(appender);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  public String text() {
    synchronized (buffer) {
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits (up to 20 s) until what was logged contains {@code text}. */
  public void await(String text) throws InterruptedException {
    await(text, 1);
  }

  /** Waits (up to 20 s) until what was logged contains {@code text} {@code times} times. */
  public void await(String text, int times) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    synchronized (buffer) {
      while (count(buffer.toString(StandardCharsets.UTF_8), text) < times) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the log never contained '" + text + "':\n" + text());
        }
        TimeUnit.NANOSECONDS.timedWait(buffer, left);
      }
    }
  }

  private static int count(String in, String text) {
    int n = 0;
    for (int at = in.indexOf(text); at >= 0; at = in.indexOf(text, at + text.length())) {
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
