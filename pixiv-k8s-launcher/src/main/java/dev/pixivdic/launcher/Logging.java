package dev.pixivdic.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.pixivdic.launcher.kube.Redact;
import dev.pixivdic.support.cli.EnvironmentValue;
import dev.pixivdic.support.cli.LogOptions;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.logging.CloudLoggingLayout;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.TypeConversionException;

/**
 * The launcher's own log lines on stderr (pod log lines own stdout), set from the command line
 * as {@code pixiv}'s are: {@code --log-format text|json} (default {@code $PIXIV_LOG_FORMAT},
 * else text), {@code -v}/{@code -vv}/{@code -q}. Without either, the level is
 * {@code $PIXIV_LAUNCH_LOG_LEVEL} (a logback level name), else INFO. URLs in a message lose
 * their user-info and query ({@link Redact}) in both formats.
 */
final class Logging {

  /** The appender of logback.xml, replaced here so that other appenders stay untouched. */
  private static final String APPENDER = "STDERR";
  private static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";

  /** The levels {@code PIXIV_LAUNCH_LOG_LEVEL} may name, in any case. */
  private static final java.util.List<String> LEVELS =
      java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private static String format = "text";
  private static String formatProblem;
  private static String levelProblem;
  private static int verbosity;
  private static boolean configured;

  private Logging() {}

  /**
   * Back to the environment's settings, before the options of one command line apply. A value
   * of {@code PIXIV_LOG_FORMAT} or {@code PIXIV_LAUNCH_LOG_LEVEL} that names no format or level
   * is kept as a {@linkplain #environmentProblem problem} until an option replaces it
   * ({@code --log-format}; {@code -v} or {@code -q}): logback read a bad level as INFO, so a typo
   * went unnoticed.
   */
  static synchronized void reset(Map<String, String> env) {
    String f = env.get("PIXIV_LOG_FORMAT");
    formatProblem =
        EnvironmentValue.problem("PIXIV_LOG_FORMAT", f, LogOptions.FORMATS).orElse(null);
    format = EnvironmentValue.wordOr(f, LogOptions.FORMATS, "text");
    levelProblem = EnvironmentValue.problem("PIXIV_LAUNCH_LOG_LEVEL",
        env.get("PIXIV_LAUNCH_LOG_LEVEL"), LEVELS).orElse(null);
    verbosity = 0;
    configured = false;
    apply(env);
  }

  /** Why the environment's logging settings cannot be used, unless options replaced them. */
  static synchronized java.util.Optional<String> environmentProblem() {
    return java.util.Optional.ofNullable(formatProblem != null ? formatProblem : levelProblem);
  }

  static synchronized void format(String f) {
    format = formatOf(f, "--log-format");
    formatProblem = null;
    configured = true;
    apply(System.getenv());
  }

  static synchronized void verbosity(int v) {
    verbosity = v;
    levelProblem = null;
    configured = true;
    apply(System.getenv());
  }

  private static String formatOf(String f, String source) {
    String v = f.strip().toLowerCase(Locale.ROOT);
    if (!v.equals("text") && !v.equals("json")) {
      throw new TypeConversionException(
          source + " is text or json, was '" + LogText.escaped(f) + "'");
    }
    return v;
  }

  private static void apply(Map<String, String> env) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(APPENDER);
    Layout<ILoggingEvent> layout;
    if (format.equals("json")) {
      // No run fields: the Job's pods log the run's own.
      layout = new CloudLoggingLayout(Redact::urlsIn, Map::of);
    } else {
      MaskingPatternLayout text = new MaskingPatternLayout();
      text.setPattern(TEXT_PATTERN);
      layout = text;
    }
    layout.setContext(ctx);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setLayout(layout);
    encoder.setContext(ctx);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setName(APPENDER);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
    root.setLevel(level(env));
    ctx.getLogger("jdk.internal.httpclient").setLevel(verbosity >= 2 ? Level.DEBUG : Level.WARN);
  }

  private static Level level(Map<String, String> env) {
    if (verbosity < 0) {
      return Level.WARN;
    }
    if (verbosity > 0) {
      return verbosity == 1 ? Level.DEBUG : Level.TRACE;
    }
    String fromEnv = env.get("PIXIV_LAUNCH_LOG_LEVEL");
    return configured || fromEnv == null || fromEnv.isBlank() ? Level.INFO
        : Level.toLevel(fromEnv.strip(), Level.INFO);
  }

  /** The text format with URLs masked. */
  static final class MaskingPatternLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
      return Redact.urlsIn(super.doLayout(event));
    }
  }
}
