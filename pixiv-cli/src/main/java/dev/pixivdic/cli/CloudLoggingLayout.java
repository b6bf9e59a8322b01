package dev.pixivdic.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One JSON object per line in the structured format Cloud Logging reads from a container's
 * output: {@code severity}, {@code message}, {@code time}, the logger, the thread, and the run's
 * fields ({@code run_id}, {@code shard}: {@link Logging#runFields}, then the MDC).
 * Secrets are masked by {@link Secrets} before they are written. Thread-safe.
 */
final class CloudLoggingLayout extends LayoutBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();
  /** Names the layout writes itself; a field of the same name would make the object ambiguous. */
  private static final Set<String> RESERVED = Set.of("severity", "message", "time", "logger", "thread");

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("severity", severity(event.getLevel()));
      String message = event.getFormattedMessage();
      IThrowableProxy t = event.getThrowableProxy();
      if (t != null) {
        message = message + "\n" + ThrowableProxyUtil.asString(t);
      }
      g.writeStringField("message", Secrets.mask(message));
      g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      Map<String, String> fields = new TreeMap<>(Logging.runFields());
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        fields.putAll(mdc);
      }
      for (Map.Entry<String, String> e : fields.entrySet()) {
        if (!RESERVED.contains(e.getKey())) {
          g.writeStringField(e.getKey(), Secrets.mask(e.getValue()));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + CoreConstants.LINE_SEPARATOR;
  }

  private static String severity(Level level) {
    switch (level.toInt()) {
      case Level.ERROR_INT:
        return "ERROR";
      case Level.WARN_INT:
        return "WARNING";
      case Level.INFO_INT:
        return "INFO";
      default:
        return "DEBUG";
    }
  }
}
