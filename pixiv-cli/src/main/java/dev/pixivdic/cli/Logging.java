package dev.pixivdic.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.pixivdic.support.cli.EnvironmentValue;
import dev.pixivdic.support.cli.LogOptions;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.logging.CloudLoggingLayout;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * Configures the logging backend from the command line: format and verbosity, on stderr.
 * Text lines are for a terminal; JSON lines ({@link CloudLoggingLayout}) for Cloud Logging.
 * Both formats mask credentials ({@link Secrets}).
 */
final class Logging {

  /** The text format: short lines for a terminal. */
  static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";

  private static String format = "text";
  private static String envProblem;
  private static int verbosity;
  private static java.io.OutputStream route; // guarded by Logging.class
  /** Whether {@link #apply} has set logging up. */
  private static volatile boolean applied;
  /**
   * Fields of the current run (run id, shard) that every JSON line carries, from whichever
   * thread logs it: the MDC alone would miss the engine's and the fetcher's threads.
   */
  private static volatile Map<String, String> runFields = Map.of();

  private Logging() {}

  /**
   * Back to the environment's settings ({@code PIXIV_LOG_FORMAT}, normal verbosity), before the
   * options of one command line apply. A value that is neither text nor json is kept as a
   * {@linkplain #environmentProblem problem} until {@code --log-format} replaces it (ignored, a
   * typo such as {@code jsno} left a pod's lines as text).
   */
  static synchronized void reset(Map<String, String> env) {
    String f = env.get("PIXIV_LOG_FORMAT");
    envProblem = EnvironmentValue.problem("PIXIV_LOG_FORMAT", f, LogOptions.FORMATS).orElse(null);
    format = EnvironmentValue.wordOr(f, LogOptions.FORMATS, "text");
    verbosity = 0;
    apply();
  }

  /** Why the environment's log format cannot be used, unless an option replaced it. */
  static synchronized java.util.Optional<String> environmentProblem() {
    return java.util.Optional.ofNullable(envProblem);
  }

  static synchronized void format(String f) {
    format = formatOf(f, "--log-format");
    envProblem = null;
    apply();
  }

  private static String formatOf(String f, String source) {
    String v = f.strip().toLowerCase(Locale.ROOT);
    if (!v.equals("text") && !v.equals("json")) {
      throw new picocli.CommandLine.TypeConversionException(
          source + " is text or json, was '" + f + "'");
    }
    return v;
  }

  static synchronized void verbosity(int v) {
    verbosity = v;
    apply();
  }

  /** Sets the run's fields for every following log line, replacing earlier ones. */
  static void runFields(Map<String, String> fields) {
    runFields = Map.copyOf(new TreeMap<>(fields));
  }

  /** Forgets the run's fields. */
  static void clearRunFields() {
    runFields = Map.of();
  }

  static Map<String, String> runFields() {
    return runFields;
  }

  /**
   * Drops every log line from now on: the final line has been printed before a forced exit, and
   * the run's threads, still going until the JVM halts, must not log after it.
   */
  static void silence() {
    if (!applied) {
      // Logging is not set up yet (a signal while main reads the command line): setting it up
      // now only to silence it would hold the exit up by most of a second.
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ch.qos.logback.classic.turbo.TurboFilter none =
          new ch.qos.logback.classic.turbo.TurboFilter() {
            @Override
            public ch.qos.logback.core.spi.FilterReply decide(org.slf4j.Marker marker,
                Logger logger, Level level, String format, Object[] params, Throwable t) {
              return ch.qos.logback.core.spi.FilterReply.DENY;
            }
          };
      none.start();
      ctx.addTurboFilter(none);
    }
  }

  static synchronized boolean json() {
    return format.equalsIgnoreCase("json");
  }

  /**
   * Where the log's lines go from the next {@link #apply()} on: {@code out} (standard error as
   * {@code main} gated it, {@link FinalLine.Pending#logs}), or standard error itself when null.
   */
  static synchronized void route(java.io.OutputStream out) {
    route = out;
  }

  /** Re-creates the stderr appender with the current settings. */
  static synchronized void apply() {
    applied = true;
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    OutputStreamAppender<ILoggingEvent> appender;
    if (route == null) {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setTarget("System.err");
      appender = console;
    } else {
      appender = new OutputStreamAppender<>();
      appender.setOutputStream(route);
    }
    appender.setContext(ctx);
    appender.setName("stderr");
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

  /** The JSON format: the run's fields on every line, credentials masked. */
  static CloudLoggingLayout jsonLayout() {
    return new CloudLoggingLayout(Secrets::mask, Logging::runFields);
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext ctx) {
    if (json()) {
      LayoutWrappingEncoder<ILoggingEvent> e = new LayoutWrappingEncoder<>();
      CloudLoggingLayout layout = jsonLayout();
      layout.setContext(ctx);
      layout.start();
      e.setLayout(layout);
      e.setContext(ctx);
      e.start();
      return e;
    }
    MaskingPatternLayout layout = new MaskingPatternLayout();
    layout.setContext(ctx);
    layout.setPattern(TEXT_PATTERN);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> e = new LayoutWrappingEncoder<>();
    e.setLayout(layout);
    e.setContext(ctx);
    e.start();
    return e;
  }

  /**
   * The text format, with credentials masked like the JSON format's and control characters in
   * the message escaped ({@code \n} as two characters), so no value can forge a log line.
   */
  static final class MaskingPatternLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
      return Secrets.mask(super.doLayout(escaped(event)));
    }

    private static ILoggingEvent escaped(ILoggingEvent event) {
      String message = event.getFormattedMessage();
      if (message == null || LogText.isPlain(message)) {
        return event;
      }
      String safe = escape(message);
      return (ILoggingEvent) java.lang.reflect.Proxy.newProxyInstance(
          ILoggingEvent.class.getClassLoader(), new Class<?>[] {ILoggingEvent.class},
          (proxy, method, args) -> method.getName().equals("getFormattedMessage")
              && method.getParameterCount() == 0 ? safe : method.invoke(event, args));
    }
  }

  /**
   * Control characters as escapes ({@code \n}, {@code \r}, {@code \t}, else {@code \u001b}),
   * and the characters that reorder or hide text or cannot be printed ({@link LogText}).
   */
  static String escape(String s) {
    return s == null ? "null" : LogText.escaped(s);
  }
}
