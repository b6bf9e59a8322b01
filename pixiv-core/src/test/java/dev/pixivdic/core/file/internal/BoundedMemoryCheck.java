package dev.pixivdic.core.file.internal;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Run in a child JVM with a small heap by {@link BoundedMemoryIT}: streams a source file and
 * reads the stored keys of a sink file, printing the counts.
 */
final class BoundedMemoryCheck {

  private BoundedMemoryCheck() {}

  public static void main(String[] args) throws IOException {
    FileSource source = FileSource.open(Path.of(args[0]));
    long items;
    try (Stream<WorkItem> stream = source.items(Shard.ALL)) {
      items = stream.count();
    }
    int stored;
    try (NdjsonSink sink = NdjsonSink.open(Path.of(args[1]))) {
      StoredKeys keys = sink.stored(Shard.ALL, Instant.parse(args[2]));
      stored = keys.size();
    }
    System.out.println("items=" + items + " duplicates=" + source.duplicateCount()
        + " problems=" + source.problemCount() + " stored=" + stored
        + " maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }
}
