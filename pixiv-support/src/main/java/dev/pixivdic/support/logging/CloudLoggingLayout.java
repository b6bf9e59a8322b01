package dev.pixivdic.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.pixivdic.support.internal.ControlChars;
import dev.pixivdic.support.internal.LogText;
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

  private static final CharacterEscapes UNSEEN = new Unseen(false);
  private static final CharacterEscapes UNSEEN_AND_HALVES = new Unseen(true);

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
      field(g, "severity", severity(event.getLevel()));
      String message = event.getFormattedMessage();
      IThrowableProxy t = event.getThrowableProxy();
      if (t != null) {
        message = message + "\n" + ThrowableProxyUtil.asString(t);
      }
      field(g, "message", mask.apply(message));
      field(g, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      field(g, "logger", event.getLoggerName());
      field(g, "thread", event.getThreadName());
      Map<String, String> fields = new TreeMap<>(runFields.get());
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        fields.putAll(mdc);
      }
      for (Map.Entry<String, String> e : fields.entrySet()) {
        if (!RESERVED.contains(e.getKey())) {
          field(g, e.getKey(), mask.apply(e.getValue()));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + CoreConstants.LINE_SEPARATOR;
  }

  /**
   * JSON's own escapes, and {@code \\uXXXX} for every other character that the text layout
   * escapes too ({@link LogText#isEscaped}): DEL and C1 controls, the line and paragraph
   * separators, the marks that reorder text, U+FEFF, and (in a text holding one,
   * {@code halves}) half a character. A line read as it is ({@code kubectl logs}, a
   * scheduler's task log) then shows them, as the text layout does, rather than doing what they
   * do; a JSON reader gets the same text back. Jackson offers a pair one half at a time, so
   * halves are escaped only in a text that holds an unpaired one (a pair escaped reads back the
   * same; an unpaired half written as it is would be printed as {@code ?}).
   */
  private static final class Unseen extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();
    private final boolean halves;

    Unseen(boolean halves) {
      this.halves = halves;
      ascii[0x7F] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int c) {
      boolean half = Character.isSurrogate((char) c);
      return half ? halves ? escape(c) : null : LogText.isEscaped(c) ? escape(c) : null;
    }

    private static SerializableString escape(int c) {
      return new SerializedString(String.format(java.util.Locale.ROOT, "\\u%04x", c));
    }
  }

  private static void field(JsonGenerator g, String name, String value) throws IOException {
    g.setCharacterEscapes(value != null && ControlChars.firstUnpairedSurrogate(value).isPresent()
        ? UNSEEN_AND_HALVES : UNSEEN);
    g.writeStringField(name, value);
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
