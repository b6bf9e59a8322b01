package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableId;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * A check the BigQuery client makes of what it was given (Guava's {@code checkArgument} and
 * {@code checkNotNull}) is a bug of the caller's, let out as it is, and never taken for an answer
 * the client could not read (which would end a run as the source's or the sink's failure, to be
 * run again later); what the client reports otherwise without a status is BigQuery's side. The
 * stack decides, not the message. Requests go to loopback only: a closed port, or a server that
 * answers {@code {}}.
 */
class AnswerNotUnderstoodTest {

  private final Retrier retrier = new Retrier(BigQueryRetry.fixed(2, Duration.ofMillis(1)));

  @Test
  void aNameOfOursTheClientRefusesIsABugNotAnAnswerNotUnderstood() {
    Throwable thrown = catchThrowable(() -> retrier.call("read of table t",
        () -> TableId.of("test-project", "", "t")));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(BigQueryIOException.class)
        .hasMessage("Provided dataset is null or empty");
  }

  @Test
  void aJobIdOfOursWithoutANameIsABugEvenWhenTheClientsRetryLayerWrapsIt() throws IOException {
    BigQueryConnection bq = BigQueryConnection.create(Optional.of(URI.create("http://127.0.0.1:9")),
        Optional.of("US"), "test-project", BigQueryRetry.fixed(2, Duration.ofMillis(1)));
    JobId nameless = JobId.newBuilder().setProject("test-project").build();

    Throwable thrown = catchThrowable(() -> retrier.call("read of job j",
        () -> bq.bigQuery().getJob(nameless)));

    assertThat(thrown).as("the client's own check, unwrapped")
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("jobId must be specified");
  }

  @Test
  void aCheckOfAnAnswersValueInTheClientsConversionIsAnAnswerNotUnderstood() {
    IllegalArgumentException check = datasetCheckCalledBy(
        frame("com.google.cloud.bigquery.TableId", "fromPb"),
        frame("com.google.cloud.bigquery.Table", "fromPb"),
        frame("com.google.cloud.bigquery.BigQueryImpl", "getTable"),
        frame("dev.pixivdic.bigquery.Tables", "get"));

    assertThat(thrownWhenAStepThrows(check)).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery's answer to the read of table t was not understood");
  }

  @Test
  void theSameCheckOfAValueOfOursIsABug() {
    IllegalArgumentException check = datasetCheckCalledBy(
        frame("com.google.cloud.bigquery.TableId", "of"),
        frame("dev.pixivdic.bigquery.Tables", "get"),
        // A conversion below the caller's frames is not the client's doing.
        frame("com.google.cloud.bigquery.Table", "fromPb"));

    assertThat(thrownWhenAStepThrows(check)).isSameAs(check);
  }

  @Test
  void anUnrecognisedFailureTheClientReportsWithoutAStatusIsBigQuerysSideNotABug() {
    // What the client's retry layer makes of an unchecked failure of the transport: code 0.
    IllegalStateException transport = new IllegalStateException("unexpected answer framing");
    transport.setStackTrace(new StackTraceElement[] {
        frame("com.google.api.client.http.HttpResponse", "getContent"),
        frame("com.google.api.client.googleapis.services.AbstractGoogleClientRequest", "execute"),
        frame("com.google.cloud.bigquery.spi.v2.HttpBigQueryRpc",
            "getTableSkipExceptionTranslation"),
        frame("com.google.cloud.bigquery.BigQueryImpl$18", "call"),
        frame("com.google.cloud.bigquery.BigQueryRetryHelper", "run"),
        frame("com.google.cloud.bigquery.BigQueryImpl", "getTable"),
        frame("dev.pixivdic.bigquery.Tables", "get")});
    BigQueryException wrapped = new BigQueryException(0, transport.getMessage(), transport);

    assertThat(thrownWhenAStepThrows(wrapped)).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery's answer to the read of table t was not understood")
        .hasMessageContaining("unexpected answer framing");
  }

  @Test
  void aFailureOfOurOwnCodeTheClientWrapsWithoutAStatusIsABug() {
    IllegalStateException ours = new IllegalStateException("a bug of ours");
    ours.setStackTrace(new StackTraceElement[] {
        frame("dev.pixivdic.bigquery.Tables", "lambda$get$0"),
        frame("com.google.cloud.bigquery.BigQueryRetryHelper", "run"),
        frame("dev.pixivdic.bigquery.Tables", "get")});

    assertThat(thrownWhenAStepThrows(new BigQueryException(0, ours.getMessage(), ours)))
        .isSameAs(ours);
  }

  @Test
  void aQueryAnsweredEmptyIsNotUnderstoodWithoutTheJdksHelpfulNullPointerMessage()
      throws IOException {
    NullPointerException real = thrownByTheClientForAQueryAnsweredEmpty();
    // As the JDK throws it under -XX:-ShowCodeDetailsInExceptionMessages: the frames alone.
    NullPointerException bare = new NullPointerException();
    bare.setStackTrace(real.getStackTrace());
    assertThat(bare.getMessage()).as("no message to go by").isNull();

    Throwable thrown = catchThrowable(() -> retrier.call("query of t", () -> {
      throw bare;
    }));

    assertThat(thrown).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery's answer to the query of t was not understood");
  }

  @Test
  void theSameNullPointerExceptionThrownByOurOwnCodeIsABug() {
    NullPointerException ours = new NullPointerException();
    ours.setStackTrace(new StackTraceElement[] {
        frame("dev.pixivdic.bigquery.Jobs", "firstPage"),
        frame("com.google.cloud.bigquery.BigQueryImpl", "queryRpc")});

    assertThat(thrownWhenAStepThrows(ours)).isSameAs(ours);
  }

  @Test
  void aFailureInJacksonsParsingOfAnAnswerForTheClientIsAnAnswerNotUnderstood() {
    IllegalArgumentException parse = new IllegalArgumentException(
        "Cannot deserialize value of type `long` from String \"many\"");
    parse.setStackTrace(new StackTraceElement[] {
        frame("com.fasterxml.jackson.databind.deser.std.StdDeserializer", "_parseLongPrimitive"),
        frame("com.fasterxml.jackson.databind.deser.BeanDeserializer", "deserializeFromObject"),
        frame("com.fasterxml.jackson.databind.ObjectReader", "readValue"),
        frame("com.google.cloud.bigquery.spi.v2.HttpBigQueryRpc",
            "getTableSkipExceptionTranslation"),
        frame("com.google.cloud.bigquery.BigQueryImpl", "getTable"),
        frame("dev.pixivdic.bigquery.Tables", "get")});

    assertThat(thrownWhenAStepThrows(parse)).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery's answer to the read of table t was not understood");
  }

  @Test
  void jacksonWritingARequestForTheClientIsNoAnswerNotUnderstood() {
    IllegalArgumentException write = new IllegalArgumentException("no serializer");
    write.setStackTrace(new StackTraceElement[] {
        frame("com.fasterxml.jackson.core.json.WriterBasedJsonGenerator", "writeString"),
        frame("com.fasterxml.jackson.databind.ObjectWriter", "writeValue"),
        frame("com.google.cloud.bigquery.spi.v2.HttpBigQueryRpc", "createSkipExceptionTranslation"),
        frame("com.google.cloud.bigquery.BigQueryImpl", "create"),
        frame("dev.pixivdic.bigquery.Tables", "create")});

    assertThat(thrownWhenAStepThrows(write)).isSameAs(write);
  }

  @Test
  void aConnectionResetWhilePagingThatTheClientWrapsWithoutAStatusIsANetworkFailure() {
    UncheckedIOException reset = networkDropCalledBy(
        frame("com.google.cloud.bigquery.TableResult", "getNextPage"),
        frame("dev.pixivdic.bigquery.Tables", "get"));
    BigQueryException wrapped = new BigQueryException(0, reset.getMessage(), reset);

    retriedAsANetworkFailure(wrapped).hasMessageContaining("Connection reset");
    assertThat(Errors.isUnknownOutcome(wrapped)).isTrue();
  }

  @Test
  void aCompressedAnswerCutShortWhileTheClientReadsItIsANetworkFailure() {
    UncheckedIOException cut = networkDropCalledBy(
        frame("com.fasterxml.jackson.core.json.UTF8StreamJsonParser", "nextToken"),
        frame("com.google.api.client.json.jackson2.JacksonParser", "nextToken"),
        frame("com.google.cloud.bigquery.spi.v2.HttpBigQueryRpc", "listTableData"),
        frame("com.google.cloud.bigquery.BigQueryImpl", "listTableData"),
        frame("dev.pixivdic.bigquery.Tables", "get"));

    retriedAsANetworkFailure(cut);
    assertThat(Errors.isUnknownOutcome(cut)).as("a job it may have created is read back")
        .isTrue();
  }

  /**
   * What the read of table t throws when every attempt throws {@code e}, asserted retried in the
   * run and worded as a failure after the attempts, not as an answer not understood.
   */
  private AbstractThrowableAssert<?, ? extends Throwable> retriedAsANetworkFailure(
      RuntimeException e) {
    AtomicInteger attempts = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> retrier.call("read of table t", () -> {
      attempts.incrementAndGet();
      throw e;
    }));
    assertThat(attempts).as("retried in the run").hasValue(2);
    return assertThat(thrown).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery read of table t failed after 2 attempts")
        .hasMessageNotContaining("not understood");
  }

  /** A connection reset met where the client may not throw an {@link IOException}. */
  private static UncheckedIOException networkDropCalledBy(StackTraceElement... callers) {
    UncheckedIOException drop = new UncheckedIOException(
        new SocketException("Connection reset"));
    StackTraceElement[] frames = new StackTraceElement[callers.length + 1];
    frames[0] = frame("java.util.zip.GZIPInputStream", "read");
    System.arraycopy(callers, 0, frames, 1, callers.length);
    drop.setStackTrace(frames);
    return drop;
  }

  /** What the client throws when {@code jobs.query} is answered {@code {}}. */
  private static NullPointerException thrownByTheClientForAQueryAnsweredEmpty()
      throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      BigQueryConnection bq = BigQueryConnection.create(Optional.of(URI.create(
          "http://127.0.0.1:" + server.getAddress().getPort())), Optional.of("US"),
          "test-project", BigQueryRetry.fixed(1, Duration.ofMillis(1)));
      Throwable thrown = catchThrowable(() -> bq.bigQuery().queryWithTimeout(
          QueryJobConfiguration.newBuilder("SELECT 1").setUseLegacySql(false).build(), null,
          null));
      assertThat(thrown).isInstanceOf(NullPointerException.class);
      return (NullPointerException) thrown;
    } finally {
      server.stop(0);
    }
  }

  /** What the client's {@code TableId} throws for an empty dataset, called by {@code callers}. */
  private static IllegalArgumentException datasetCheckCalledBy(StackTraceElement... callers) {
    IllegalArgumentException check = new IllegalArgumentException(
        "Provided dataset is null or empty");
    StackTraceElement[] frames = new StackTraceElement[callers.length + 2];
    frames[0] = frame("com.google.common.base.Preconditions", "checkArgument");
    frames[1] = frame("com.google.cloud.bigquery.TableId", "<init>");
    System.arraycopy(callers, 0, frames, 2, callers.length);
    check.setStackTrace(frames);
    return check;
  }

  private Throwable thrownWhenAStepThrows(RuntimeException e) {
    return catchThrowable(() -> retrier.call("read of table t", () -> {
      throw e;
    }));
  }

  private static StackTraceElement frame(String className, String method) {
    return new StackTraceElement(className, method, "X.java", 1);
  }
}
