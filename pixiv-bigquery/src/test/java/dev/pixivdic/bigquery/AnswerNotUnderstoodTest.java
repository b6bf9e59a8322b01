package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.TableId;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A check the BigQuery client makes of what it was given (Guava's {@code checkArgument} and
 * {@code checkNotNull}) is a bug of the caller's, let out as it is, and never taken for an answer
 * the client could not read (which would end a run as the source's or the sink's failure, to be
 * run again later). No request is sent: the endpoint is a closed port on loopback.
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
