package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class OutcomesTest {

  @Test
  void aSinkOnAReadOnlyFileSystemExits2ForARetryWouldMeetTheSameRefusal() {
    // As the JDK reports EROFS on Linux, e.g. a pod with readOnlyRootFilesystem.
    IOException readOnly = new FileSystemException("out/rows.ndjson.lock", null,
        "Read-only file system");

    assertThat(Outcomes.forFailure(readOnly)).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aFullDiskStaysARetry() {
    IOException full = new IOException("No space left on device");

    assertThat(Outcomes.forFailure(full)).isEqualTo(ExitCodes.UNAVAILABLE);
  }
}
