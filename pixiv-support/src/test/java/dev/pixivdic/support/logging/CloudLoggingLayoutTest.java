package dev.pixivdic.support.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.support.testing.JsonLogLines;
import java.io.IOException;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;

class CloudLoggingLayoutTest {

  private final Logger logger =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.pixivdic.test");

  @Test
  void aLineCarriesSeverityMessageTimeLoggerThreadAndTheRunsFieldsMasked() throws IOException {
    LoggingEvent event = new LoggingEvent("x", logger, Level.WARN, "token {} refused",
        new IOException("token abc"), new Object[] {"abc"});
    event.setMDCPropertyMap(Map.of("shard", "3/40 abc", "severity", "forged"));
    CloudLoggingLayout layout = new CloudLoggingLayout(s -> s.replace("abc", "***"),
        () -> Map.of("run_id", "r-1"));

    JsonNode line = JsonLogLines.of(layout, event);

    assertThat(line.path("severity").asText()).isEqualTo("WARNING");
    assertThat(line.path("message").asText()).startsWith("token *** refused\n")
        .contains("java.io.IOException: token ***").doesNotContain("abc");
    assertThat(line.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(line.path("logger").asText()).isEqualTo("dev.pixivdic.test");
    assertThat(line.path("thread").asText()).isNotEmpty();
    assertThat(line.path("run_id").asText()).isEqualTo("r-1");
    assertThat(line.path("shard").asText()).isEqualTo("3/40 ***");
  }

  @Test
  void marksThatReorderOrHideTextAreWrittenAsEscapesThatReadBackTheSame() throws IOException {
    String title = "abc\u202Egnp.exe\u2066x\u2028y\uFEFFz\u0085\u007F初音ミク😀";
    LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "fetched {}", null,
        new Object[] {title});
    CloudLoggingLayout layout = new CloudLoggingLayout(s -> s, () -> Map.of("run_id", title));

    String raw = layout.doLayout(event);

    assertThat(raw).as("the line as kubectl logs shows it")
        .contains("abc\\u202egnp.exe\\u2066x\\u2028y\\ufeffz\\u0085\\u007f初音ミク😀")
        .doesNotContain("\u202E", "\u2066", "\u2028", "\uFEFF", "\u0085", "\u007F");
    JsonNode line = JsonLogLines.of(layout, event);
    assertThat(line.path("message").asText()).isEqualTo("fetched " + title);
    assertThat(line.path("run_id").asText()).isEqualTo(title);
  }

  @Test
  void halfACharacterIsWrittenAsAnEscapeNotAsAQuestionMark() throws IOException {
    String name = "lone\uD83Dx 😀";
    LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "name {}", null,
        new Object[] {name});
    CloudLoggingLayout layout = new CloudLoggingLayout(s -> s, Map::of);

    assertThat(layout.doLayout(event)).contains("lone\\ud83dx \\ud83d\\ude00");
    assertThat(JsonLogLines.of(layout, event).path("message").asText())
        .isEqualTo("name " + name);
  }

  @Test
  void severitiesMapToCloudLoggingNames() throws IOException {
    CloudLoggingLayout layout = new CloudLoggingLayout(s -> s, Map::of);
    for (Level level : new Level[] {Level.ERROR, Level.INFO, Level.DEBUG, Level.TRACE}) {
      LoggingEvent event = new LoggingEvent("x", logger, level, "m", null, null);
      assertThat(JsonLogLines.of(layout, event).path("severity").asText()).as(level.toString())
          .isEqualTo(level == Level.ERROR ? "ERROR" : level == Level.INFO ? "INFO" : "DEBUG");
    }
  }
}
