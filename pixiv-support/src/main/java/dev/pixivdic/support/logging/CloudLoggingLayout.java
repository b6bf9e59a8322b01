package dev.pixivdic.support.logging;

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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One JSON object per line in the structured format Cloud Logging reads from a container's
 * output: {@code severity}, {@code message}, {@code time}, the logger, the thread, and the run's
 * fields (those the command gives, then the MDC). The JSON log format of {@code pixiv} and
 * {@code pixiv-launch}, each with its own masking of secrets. Thread-safe.
 */
public final class CloudLoggingLayout extends LayoutBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();
  /** Names the layout writes itself; a field of the same name would make the object ambiguous. */
  private static final Set<String> RESERVED =
      Set.of("severity", "message", "time", "logger", "thread");

  private final UnaryOperator<String> mask;
  private final Supplier<Map<String, String>> runFields;

  /**
   * A layout that passes the message and every field through {@code mask} before writing it.
   *
   * @param runFields the fields every line carries, from whichever thread logs it (the MDC
   *     alone would miss the threads a run starts); read for each line
   */
  public CloudLoggingLayout(UnaryOperator<String> mask,
      Supplier<Map<String, String>> runFields) {
    this.mask = Objects.requireNonNull(mask, "mask");
    this.runFields = Objects.requireNonNull(runFields, "runFields");
  }

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
      g.writeStringField("message", mask.apply(message));
      g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      Map<String, String> fields = new TreeMap<>(runFields.get());
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        fields.putAll(mdc);
      }
      for (Map.Entry<String, String> e : fields.entrySet()) {
        if (!RESERVED.contains(e.getKey())) {
          g.writeStringField(e.getKey(), mask.apply(e.getValue()));
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
