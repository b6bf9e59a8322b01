package dev.pixivdic.core.file.internal;

import dev.pixivdic.core.Shard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in a child JVM by the fault tests: opens a sink (or an archive), reads what it stores (a
 * second descriptor on the file, which once dropped the lock), prints {@code holding} and waits
 * for a line on stdin before it closes.
 */
final class LockHolder {

  private LockHolder() {}

  public static void main(String[] args) throws IOException {
    Path path = Path.of(args[1]);
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
