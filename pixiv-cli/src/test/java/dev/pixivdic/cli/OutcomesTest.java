package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomesTest {

  private static RunReport.Builder completed() {
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    return RunReport.builder().runId("r1").shard("0/1").startedAt(start)
        .finishedAt(start.plusSeconds(60)).stopReason(StopReason.COMPLETED).processed(10);
  }

  @Test
  void failuresForGoodAndRobotsRefusalsAskNoRetryButAnyOtherFailureDoes() {
    RunReport forGoodAndRefused = completed().failed(3).failedForGood(2).build();
    RunReport oneMore = completed().failed(4).failedForGood(2).build();

    assertThat(Outcomes.exitCode(forGoodAndRefused, 1, 0, 0)).isEqualTo(ExitCodes.OK);
    assertThat(Outcomes.exitCode(oneMore, 1, 0, 0)).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(Outcomes.exitCode(completed().failed(2).build(), 0, 0, 0))
        .as("failures not excused as for good").isEqualTo(ExitCodes.TEMPORARY);
  }

  @Test
  void aReportCannotCountMoreFailuresForGoodThanFailures() {
    assertThatThrownBy(() -> completed().failed(1).failedForGood(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failedForGood");
  }

  @Test
  void aSinkOnAReadOnlyFileSystemExits2ForARetryWouldMeetTheSameRefusal() {
    // As the JDK reports EROFS on Linux, e.g. a pod with readOnlyRootFilesystem.
    IOException readOnly = new FileSystemException("out/rows.ndjson.lock", null,
        "Read-only file system");

    assertThat(Outcomes.forFailure(readOnly)).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aPlaceTheSystemForbidsEvenToRootExits2ForARetryWouldMeetTheSameRefusal() {
    // As the JDK reports EPERM (creating a directory under /sys, an immutable file): a plain
    // FileSystemException with the reason, not an AccessDeniedException.
    IOException notPermitted = new FileSystemException("/sys/arch", null,
        "Operation not permitted");

    assertThat(Outcomes.forFailure(notPermitted)).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void anArchiveMadeImmutableMidRunExits2AsTheSinkDoesAndAFullDiskStays69() {
    // The page's copy is written by the item's processing, which wraps the failure.
    IOException immutable = new dev.pixivdic.core.run.internal.StorageFailedException(
        "the copy of https://dic.pixiv.net/a/x could not be kept",
        new AccessDeniedException("archive/index.ndjson", null, "Operation not permitted"));
    IOException full = new dev.pixivdic.core.run.internal.StorageFailedException(
        "the copy of https://dic.pixiv.net/a/x could not be kept",
        new IOException("No space left on device"));

    assertThat(Outcomes.forFailure(immutable)).isEqualTo(ExitCodes.USAGE);
    assertThat(Outcomes.forFailure(full)).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void aFullDiskStaysARetry() {
    IOException full = new IOException("No space left on device");

    assertThat(Outcomes.forFailure(full)).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void aSinkInADirectoryTheUserCannotWriteIsNamedAsPermissionDeniedNotByItsPathAlone() {
    // As the JDK reports EACCES: the message is the path and nothing else.
    StringWriter err = new StringWriter();

    int code = Outcomes.refused("pixiv scrape",
        new AccessDeniedException("rodir/s.ndjson.lock"), new PrintWriter(err, true));

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo(
        "pixiv scrape: rodir/s.ndjson.lock: permission denied" + System.lineSeparator());
  }

  @Test
  void fileExceptionsThatCarryOnlyAPathSayWhatWentWrong() {
    assertThat(Outcomes.message(new NoSuchFileException("in/urls.txt")))
        .isEqualTo("in/urls.txt: no such file or directory");
    assertThat(Outcomes.message(new NotDirectoryException("out/x")))
        .isEqualTo("out/x: not a directory");
    assertThat(Outcomes.message(new FileAlreadyExistsException("out")))
        .isEqualTo("out: is a file, where a directory is needed");
    assertThat(Outcomes.message(new AccessDeniedException("a.tmp", "a", null)))
        .isEqualTo("a.tmp (to a): permission denied");
    // A reason from the system is kept as the JDK words it.
    assertThat(Outcomes.message(new FileSystemException("out/x", null, "Read-only file system")))
        .isEqualTo("out/x: Read-only file system");
  }

  @Test
  void theSummarysProblemsShowMarksThatReorderTextAsEscapes() {
    // Before, a name holding U+202E was printed raw in the summary's problem lines, and the
    // rest of the line read backwards.
    RunReport r = completed().problems(java.util.List.of("odd:R\u202eX: UNRECOGNIZED (x)"))
        .build();
    StringWriter text = new StringWriter();

    ReportWriter.summary(new PrintWriter(text, true), r, new ReportWriter.Context("resolve", 0,
        null, 1, "names.txt", 0, 0, java.util.List.of()));

    assertThat(text.toString()).contains("  problem  odd:R\\u202eX: UNRECOGNIZED (x)")
        .doesNotContain("\u202e");
  }
}
