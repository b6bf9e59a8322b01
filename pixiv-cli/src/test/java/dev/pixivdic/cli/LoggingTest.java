package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.support.testing.JsonLogLines;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingTest {

  private static final String PEM =
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n"
          + "-----END PRIVATE KEY-----";

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Logger log;

  @BeforeEach
  void capture() {
    events.setContext(context);
    events.start();
    log = context.getLogger("dev.pixivdic.test");
    log.setLevel(Level.DEBUG);
    log.setAdditive(false);
    log.addAppender(events);
  }

  @AfterEach
  void clear() {
    log.detachAppender(events);
    MDC.clear();
    Logging.clearRunFields();
  }

  private JsonNode jsonLine(ILoggingEvent event) throws IOException {
    return JsonLogLines.of(Logging.jsonLayout(), event);
  }

  private String textLine(ILoggingEvent event) {
    Logging.MaskingPatternLayout layout = new Logging.MaskingPatternLayout();
    layout.setContext(context);
    layout.setPattern(Logging.TEXT_PATTERN);
    layout.start();
    return layout.doLayout(event);
  }

  @Test
  void aJsonLineCarriesSeverityMessageAndTheRunsFields() throws IOException {
    Logging.runFields(Map.of("run_id", "r-20260105", "shard", "3/40"));
    log.warn("blocked page {} of {}", 2, 5);

    JsonNode line = jsonLine(events.list.get(0));

    assertThat(line.path("severity").asText()).isEqualTo("WARNING");
    assertThat(line.path("message").asText()).isEqualTo("blocked page 2 of 5");
    assertThat(line.path("run_id").asText()).isEqualTo("r-20260105");
    assertThat(line.path("shard").asText()).isEqualTo("3/40");
    assertThat(line.path("logger").asText()).isEqualTo("dev.pixivdic.test");
    assertThat(line.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void linesLoggedOnOtherThreadsCarryTheRunIdToo() throws Exception {
    Logging.runFields(Map.of("run_id", "r-1"));
    CompletableFuture.runAsync(() -> log.info("from a worker")).get();

    assertThat(jsonLine(events.list.get(0)).path("run_id").asText()).isEqualTo("r-1");
  }

  @Test
  void severitiesMapToCloudLoggingNames() throws IOException {
    log.error("e");
    log.info("i");
    log.debug("d");

    assertThat(
            List.of(
                jsonLine(events.list.get(0)),
                jsonLine(events.list.get(1)),
                jsonLine(events.list.get(2))))
        .extracting(n -> n.path("severity").asText())
        .containsExactly("ERROR", "INFO", "DEBUG");
  }

  @Test
  void anExceptionsStackTraceStaysInTheMessageOfOneLine() throws IOException {
    log.error("sink failed", new IOException("load job refused"));

    JsonNode line = jsonLine(events.list.get(0));

    assertThat(line.path("message").asText())
        .startsWith("sink failed\n")
        .contains("java.io.IOException: load job refused")
        .contains("at dev.pixivdic.cli.LoggingTest");
  }

  @Test
  void credentialsNeverReachAJsonOrATextLine() throws IOException {
    MDC.put("run_id", "r-2");
    log.info("GET https://bigquery.googleapis.com/x?access_token=ya29.a0AfH6SMBx&alt=json");
    log.info("header Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig");
    log.info(
        "key file {\"type\": \"service_account\", \"private_key\": \""
            + PEM.replace("\n", "\\n")
            + "\"}");
    log.info("key:\n" + PEM);
    log.warn("503 Service Unavailable\nPUT https://bigquery.googleapis.com/upload/bigquery/v2/"
        + "projects/p/jobs?uploadType=resumable&upload_id=ADPycdtSeSsIoN_123-x\n<html>");

    for (ILoggingEvent e : events.list) {
      String json = jsonLine(e).toString();
      String text = textLine(e);
      for (String line : List.of(json, text)) {
        assertThat(line)
            .doesNotContain(
                "ya29.a0AfH6SMBx",
                "eyJhbGciOiJSUzI1NiJ9",
                "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
                "BKcwggSjAgEAAoIBAQC7",
                "ADPycdtSeSsIoN_123-x");
      }
    }
    assertThat(jsonLine(events.list.get(0)).path("message").asText())
        .isEqualTo("GET https://bigquery.googleapis.com/x?access_token=***&alt=json");
    assertThat(jsonLine(events.list.get(0)).path("run_id").asText()).isEqualTo("r-2");
    assertThat(textLine(events.list.get(1))).contains("Authorization: Bearer ***");
    assertThat(textLine(events.list.get(4))).contains("uploadType=resumable&upload_id=***");
  }

  @Test
  void maskingLeavesOrdinaryTextAlone() {
    String line =
        "scraping shard 3/40 of bq:p.d.t into out/rows.ndjson at 0.2 requests/s; 12 tokens of"
            + " the summary";
    assertThat(Secrets.mask(line)).isEqualTo(line);
    assertThat(Secrets.mask(null)).isNull();
  }

  @Test
  void anArticleNamedLikeASecretIsNotMistakenForOne() {
    // Articles titled "secret", "token" or "password" exist; the URL ends with the title.
    String line = "https://dic.pixiv.net/a/secret: https://dic.pixiv.net/robots.txt disallows"
        + " https://dic.pixiv.net/a/secret; https://dic.pixiv.net/a/Token=x: status 404";
    assertThat(Secrets.mask(line)).isEqualTo(line);
    assertThat(Secrets.mask("GET /x?token=abc&secret=def"))
        .isEqualTo("GET /x?token=***&secret=***");
  }

  @Test
  void aPasswordHoldingAQuestionMarkOrAHashIsMaskedWhole() {
    assertThat(Secrets.mask("proxy http://u:p#w?x@proxy:3128 refused"))
        .isEqualTo("proxy http://***@proxy:3128 refused");
    String article = "GET https://dic.pixiv.net/a/@JOKER and https://dic.pixiv.net/a/x@y#z";
    assertThat(Secrets.mask(article)).isEqualTo(article);
  }

  @Test
  void maskingCoversKeyValuePairsNamedLikeSecrets() {
    assertThat(Secrets.mask("password=hunter2 user=a")).isEqualTo("password=*** user=a");
    assertThat(Secrets.mask("{\"client_secret\": \"abc123\"}"))
        .isEqualTo("{\"client_secret\": \"***\"}");
    // A redirect off the site to a signed URL, named in full in the refusal.
    assertThat(Secrets.mask("redirected to https://b.s3.amazonaws.com/x?X-Amz-Credential=AKIA1"
        + "&X-Amz-Signature=abc&X-Amz-Security-Token=tok&sig=s1 and https://cdn.example/y?"
        + "X-Goog-Signature=g1&X-Goog-Credential=c1&jwt=e.y.j and exit_code=2, code: 409"))
        .isEqualTo("redirected to https://b.s3.amazonaws.com/x?X-Amz-Credential=***"
            + "&X-Amz-Signature=***&X-Amz-Security-Token=***&sig=*** and https://cdn.example/y?"
            + "X-Goog-Signature=***&X-Goog-Credential=***&jwt=*** and exit_code=2, code: 409");
    assertThat(Secrets.mask("Authorization: Basic dXNlcjpwYXNzd29yZA=="))
        .isEqualTo("Authorization: Basic ***");
    assertThat(Secrets.mask("a truncated " + PEM.substring(0, 40)))
        .isEqualTo("a truncated -----PRIVATE KEY MASKED-----");
    // The line break stays: the next line (the final PIXIV_RESULT line) must start a line.
    assertThat(Secrets.mask("a truncated " + PEM.substring(0, 40) + "\n"))
        .isEqualTo("a truncated -----PRIVATE KEY MASKED-----\n");
  }

  @Test
  void theLogFormatIsTextOrJsonAndAnythingElseIsAUsageError() {
    Cli.Result r = Cli.run("--log-format", "xml", "parse", "x.html");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--log-format is text or json, was 'xml'");
  }

  private static Cli.Result runWith(Map<String, String> env, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Main.execute(args, new java.io.PrintWriter(out, true),
        new java.io.PrintWriter(err, true), env);
    return new Cli.Result(code, out.toString(), err.toString());
  }

  @Test
  void aLogFormatInTheEnvironmentThatIsNeitherTextNorJsonIsAUsageErrorNotIgnored() {
    try {
      Cli.Result r = runWith(Map.of("PIXIV_LOG_FORMAT", "jsno"), "parse", "no-such.html");

      assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("PIXIV_LOG_FORMAT is text or json, was 'jsno'")
          .doesNotContain("no such file");
      assertThat(r.out()).isEmpty();
      Cli.Result replaced = runWith(Map.of("PIXIV_LOG_FORMAT", "jsno"), "--log-format", "text",
          "parse", "no-such.html");
      assertThat(replaced.err()).as("--log-format replaces it").contains("no such file")
          .doesNotContain("PIXIV_LOG_FORMAT");
      assertThat(runWith(Map.of("PIXIV_LOG_FORMAT", "jsno"), "--help").code()).isZero();
      assertThat(runWith(Map.of("PIXIV_LOG_FORMAT", "jsno"), "parse", "--help").code()).isZero();
      assertThat(runWith(Map.of("PIXIV_LOG_FORMAT", ""), "--version").code())
          .as("empty is as unset").isZero();
      assertThat(Logging.json()).isFalse();
    } finally {
      Logging.format("text");
    }
  }

  @Test
  void theEnvironmentsFormatHoldsForEachCommandLineAndAnOptionDoesNotOutliveItsOwn() {
    try {
      assertThat(runWith(Map.of("PIXIV_LOG_FORMAT", " JSON "), "--version").code()).isZero();
      assertThat(Logging.json()).isTrue();
      assertThat(runWith(Map.of(), "--log-format", "json", "--version").code()).isZero();
      assertThat(Logging.json()).isTrue();

      assertThat(runWith(Map.of(), "--version").code()).isZero();
      assertThat(Logging.json()).as("the option of the command line before").isFalse();
    } finally {
      Logging.format("text");
    }
  }

  /** A value quoted raw (a name from a BigQuery table) made the rest of the line backwards. */
  @Test
  void aTextLineEscapesMarksThatReorderOrHideTextAndHalfCharacters() {
    log.info("name '{}' resolved", "a\u202eb\ufeffc\ud83d");

    assertThat(textLine(events.list.get(0))).contains("name 'a\\u202eb\\ufeffc\\ud83d' resolved")
        .doesNotContain("\u202e", "\ufeff");
  }

  /** After a forced exit's final line, the run's threads logged on until the JVM halted. */
  @Test
  void silencedNoLineIsLoggedAnyMore() {
    log.warn("before");
    try {
      Logging.silence();
      log.error("after");
    } finally {
      context.resetTurboFilterList();
    }
    log.warn("again");

    assertThat(events.list).extracting(ILoggingEvent::getMessage).containsExactly("before",
        "again");
  }

  @Test
  void messagesOnStderrAreMaskedToo() throws IOException {
    java.io.StringWriter sink = new java.io.StringWriter();
    java.io.PrintWriter err = new java.io.PrintWriter(new MaskingWriter(sink), true);
    err.println("pixiv scrape: 401 from https://x/?access_token=ya29.secretvalue&a=1");
    err.print("progress 10%\r");
    err.flush();

    assertThat(sink.toString())
        .doesNotContain("ya29.secretvalue")
        .isEqualTo(
            "pixiv scrape: 401 from https://x/?access_token=***&a=1"
                + System.lineSeparator()
                + "progress 10%\r");
  }

  @Test
  void theCommandsStderrGoesThroughTheMask() {
    Cli.Result r = Cli.run("parse", "saved?password=hunter2 page.html");
    assertThat(r.err()).contains("password=***").doesNotContain("hunter2");
  }
}
