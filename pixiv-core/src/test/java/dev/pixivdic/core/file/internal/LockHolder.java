package dev.pixivdic.core.file.internal;

import dev.pixivdic.core.Shard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in a child JVM by the fault tests: opens a sink (or an archive), reads what it stores (a
 * second descriptor on the file, which once dropped the lock), prints {@code holding} and waits
 * for a line on stdin before it closes. As {@code starting}, it opens a sink but stops after
 * taking the lock and before recording itself (printing {@code locked}) until it reads a line.
 */
final class LockHolder {

  private LockHolder() {}

  public static void main(String[] args) throws IOException {
    Path path = Path.of(args[1]);
    if (args[0].equals("starting")) {
      // Stops between taking the lock and recording itself, until told to go on.
      WriterLock.afterLocking = () -> {
        try {
          System.out.println("locked");
          System.out.flush();
          System.in.read();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
    }
    if (args[0].equals("archive")) {
      try (PageArchive archive = PageArchive.open(path)) {
        archive.entries().close();
        hold();
      }
    } else {
      try (NdjsonSink sink = NdjsonSink.open(path)) {
        sink.stored(Shard.ALL, Instant.EPOCH);
        hold();
      }
    }
  }

  private static void hold() throws IOException {
    System.out.println("holding");
    System.out.flush();
    System.in.read();
  }
}
