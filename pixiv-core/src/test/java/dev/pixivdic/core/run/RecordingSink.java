package dev.pixivdic.core.run;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink of strings for engine tests: records batches, can fail a chosen write. */
final class RecordingSink implements Sink<String> {
  final List<List<String>> batches = new CopyOnWriteArrayList<>();
  final List<String> held = new ArrayList<>();
  int failOnWrite = -1;
  private int writes;

  @Override
  public StoredKeys stored(Shard shard, Instant since) {
    StoredKeys.Builder b = StoredKeys.builder();
    held.stream().filter(shard::contains).forEach(b::add);
    batches.forEach(batch -> batch.stream().filter(shard::contains).forEach(b::add));
    return b.build();
  }

  @Override
  public void write(List<String> batch) throws IOException {
    if (writes++ == failOnWrite) {
      throw new IOException("disk full");
    }
    if (!batch.isEmpty()) {
      batches.add(List.copyOf(batch));
    }
  }

  List<String> rows() {
    List<String> all = new ArrayList<>();
    batches.forEach(all::addAll);
    return all;
  }
}
