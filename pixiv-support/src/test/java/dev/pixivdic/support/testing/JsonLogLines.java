package dev.pixivdic.support.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.support.logging.CloudLoggingLayout;
import java.io.IOException;
import org.slf4j.LoggerFactory;

/** The JSON log line of one event, as a log collector reads it. */
public final class JsonLogLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLogLines() {}

  /**
   * Lays {@code event} out with {@code layout} (started in the logging context), checks that it
   * is one line with its line separator, and reads it.
   */
  public static JsonNode of(CloudLoggingLayout layout, ILoggingEvent event) throws IOException {
    layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    layout.start();
    String line = layout.doLayout(event);
    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    return JSON.readTree(line);
  }
}
