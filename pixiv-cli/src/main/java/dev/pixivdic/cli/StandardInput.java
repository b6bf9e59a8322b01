package dev.pixivdic.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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

  /** The input {@link #stoppable} made last, which {@link #stopReading} ends. */
  private static volatile Stoppable current;

  /**
   * {@code in} read on a thread of its own, so that a run stopped by a signal need not wait for
   * the next line of a pipe that stays open (a source read on the run's thread held the stop,
   * and its flush, until the writer closed the pipe): after {@link #stopReading}, a read waiting
   * for input fails with an {@link InterruptedIOException} (not the end of the input, which
   * would hand the reader the half line it holds), which the run takes for its stop.
   */
  static InputStream stoppable(InputStream in) {
    Stoppable s = new Stoppable(in);
    current = s;
    return s;
  }

  /** Ends the reads of the input {@link #stoppable} made, if any (a stop). */
  static void stopReading() {
    Stoppable s = current;
    if (s != null) {
      s.stop();
    }
  }

  /** See {@link #stoppable}. Reads by one thread at a time. */
  private static final class Stoppable extends InputStream {
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
    private volatile boolean stopped;
    /** Set by the pump when it is done: its failure, or {@link #END}. */
    private volatile Object ending;
    private static final Object END = new Object();
    private byte[] chunk = new byte[0];
    private int at;

    Stoppable(InputStream in) {
      Thread pump = new Thread(() -> {
        Object end = END;
        byte[] buf = new byte[64 * 1024];
        try {
          int n;
          while (!stopped && (n = in.read(buf)) >= 0) {
            if (n > 0) {
              chunks.put(Arrays.copyOf(buf, n));
            }
          }
        } catch (IOException | RuntimeException e) {
          end = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          ending = end;
        }
      }, "pixiv-stdin");
      pump.setDaemon(true);
      pump.start();
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void close() {
      stop();
      chunks.clear(); // a pump waiting to hand a chunk over ends
      if (current == this) {
        current = null;
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (at == chunk.length) {
        if (stopped) {
          throw new InterruptedIOException("standard input: the reading was stopped");
        }
        byte[] next;
        try {
          next = chunks.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted reading standard input");
        }
        if (next != null) {
          chunk = next;
          at = 0;
        } else if (ending != null && chunks.isEmpty()) {
          if (ending instanceof IOException e) {
            throw e;
          }
          if (ending instanceof RuntimeException e) {
            throw e;
          }
          return -1;
        }
      }
      int n = Math.min(len, chunk.length - at);
      System.arraycopy(chunk, at, b, off, n);
      at += n;
      return n;
    }
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
