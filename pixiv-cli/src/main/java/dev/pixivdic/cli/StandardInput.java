package dev.pixivdic.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Standard input as the process got it. A command started with it closed ({@code <&-}) has no
 * descriptor 0, so the first file the JVM opens takes that number: its own class library
 * ({@code lib/modules}), which {@code --source -} would then read as a URL list (a million bad
 * lines, then a crash of the JVM, whose mapping of that file the reads disturbed).
 */
final class StandardInput {

  private StandardInput() {}

  /**
   * Whether descriptor 0, as {@code fd0} links to it, is a file of the Java runtime at
   * {@code javaHome} rather than what the process was given. False where this cannot be told
   * (no {@code /proc}).
   */
  static boolean closed(Path fd0, Path javaHome) {
    try {
      Path target = Files.readSymbolicLink(fd0);
      return target.startsWith(javaHome) || target.startsWith(javaHome.toRealPath());
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Replaces {@link System#in} by {@link #closedStream} when this process's stdin was closed. */
  static void guard() {
    if (closed(Path.of("/proc/self/fd/0"), Path.of(System.getProperty("java.home")))) {
      System.setIn(closedStream());
    }
  }

  /**
   * Standard input with its first byte read ahead, so that one that cannot be read (closed, or
   * a directory given as standard input) fails before the run makes its sink or starts, not once
   * it runs. Waits for a pipe's first byte (or its end).
   *
   * @throws IOException as the first read of {@code in} does
   */
  static InputStream readAhead(InputStream in) throws IOException {
    PushbackInputStream ahead = new PushbackInputStream(in, 1);
    int first = ahead.read();
    if (first >= 0) {
      ahead.unread(first);
    }
    return ahead;
  }

  /**
   * A standard input that was closed: every read fails with a {@link NoSuchFileException} (an
   * input that is not there: exit 2, as a missing source file) saying so.
   */
  static InputStream closedStream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        throw new NoSuchFileException("standard input", null,
            "closed (the command was started with <&-); give it a file or a pipe");
      }
    };
  }
}
