package dev.pixivdic.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Configures the logging backend from the command line: format and verbosity, on stderr. */
final class Logging {

  private static String format = System.getenv().getOrDefault("PIXIV_LOG_FORMAT", "text");
  private static int verbosity;

  private Logging() {}

  static synchronized void format(String f) {
    String v = f.toLowerCase(Locale.ROOT);
    if (!v.equals("text") && !v.equals("json")) {
      throw new picocli.CommandLine.TypeConversionException(
          "--log-format is text or json, was '" + f + "'");
    }
    format = v;
    apply();
  }

  static synchronized void verbosity(int v) {
    verbosity = v;
    apply();
  }

  static synchronized boolean json() {
    return format.equalsIgnoreCase("json");
  }

  /** Re-creates the stderr appender with the current settings. */
  static synchronized void apply() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder(ctx));
    appender.start();
    root.addAppender(appender);
    root.setLevel(verbosity < 0 ? Level.WARN : verbosity == 0 ? Level.INFO
        : verbosity == 1 ? Level.DEBUG : Level.TRACE);
    Level libraries = verbosity >= 2 ? Level.DEBUG : Level.WARN;
    for (String noisy : new String[] {"com.google", "io.grpc", "io.opencensus", "org.apache.http",
        "jdk.internal.httpclient", "wiremock", "org.eclipse.jetty"}) {
      ctx.getLogger(noisy).setLevel(libraries);
    }
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext ctx) {
    if (json()) {
      LayoutWrappingEncoder<ILoggingEvent> e = new LayoutWrappingEncoder<>();
      CloudLoggingLayout layout = new CloudLoggingLayout();
      layout.setContext(ctx);
      layout.start();
      e.setLayout(layout);
      e.setContext(ctx);
      e.start();
      return e;
    }
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(ctx);
    e.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
    e.start();
    return e;
  }
}
