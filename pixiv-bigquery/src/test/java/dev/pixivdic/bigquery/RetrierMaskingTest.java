package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the retrier lets out shows no upload session id, whichever way it leaves: an interruption
 * the step decided itself, a bug of ours let out as it is, an answer the client could not read.
 * An embedder logs these with their causes.
 */
class RetrierMaskingTest {

  private static final String SESSION =
      "http://127.0.0.1:9/upload/bigquery/v2/projects/p/jobs?upload_id=SeSsIoN-sEcReT_123";

  private final Retrier retrier = new Retrier(BigQueryRetry.fixed(2, Duration.ofMillis(1)));

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private static String logged(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void anInterruptionTheStepDecidedItselfIsLetOutWithTheSessionIdMasked() {
    Throwable thrown = catchThrowable(() -> retrier.attempt("load job j", () -> {
      throw new InterruptedIOException("PUT " + SESSION + " interrupted");
    }));

    assertThat(thrown).isInstanceOf(InterruptedIOException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(logged(thrown)).contains("upload_id=***").doesNotContain("SeSsIoN-sEcReT_123");
  }

  @Test
  void aBugLetOutAsItIsShowsNoSessionId() {
    Throwable thrown = catchThrowable(() -> retrier.call("load job j", () -> {
      throw new IllegalStateException("no job for " + SESSION,
          new IllegalArgumentException(SESSION));
    }));

    assertThat(thrown).isInstanceOf(IllegalStateException.class);
    assertThat(logged(thrown)).contains("upload_id=***").doesNotContain("SeSsIoN-sEcReT_123");
  }

  @Test
  void aClientFailingToReadAnAnswerIsUnavailableSayingSoWithTheSessionIdMasked() {
    // The upload to the session URL the opening's answer gave, which is not one.
    IllegalArgumentException client = new IllegalArgumentException("no URL: " + SESSION);
    client.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("com.google.api.client.http.GenericUrl", "parseURL", "X.java", 1),
        new StackTraceElement("com.google.api.client.http.GenericUrl", "<init>", "X.java", 1),
        new StackTraceElement("com.google.cloud.bigquery.spi.v2.HttpBigQueryRpc",
            "writeSkipExceptionTranslation", "X.java", 1),
        new StackTraceElement("com.google.cloud.bigquery.TableDataWriteChannel", "flushBuffer",
            "X.java", 1)});

    Throwable thrown = catchThrowable(() -> retrier.call("load job j", () -> {
      throw client;
    }));

    assertThat(thrown).isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("BigQuery's answer to the load job j was not understood");
    assertThat(logged(thrown)).contains("upload_id=***").doesNotContain("SeSsIoN-sEcReT_123");
  }
}
