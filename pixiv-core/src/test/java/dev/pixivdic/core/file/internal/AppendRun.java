package dev.pixivdic.core.file.internal;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run in a child JVM by {@link CrashRecoveryIT}: what a run does with a file source and sink,
 * without fetching. Skips what the sink holds, writes rows in batches of ten and prints
 * {@code wrote <n>} after each batch. With a third argument {@code n}, it stops after writing
 * {@code n} rows and waits for input that never comes, so the parent can kill it mid-run.
 */
final class AppendRun {

  private AppendRun() {}

  public static void main(String[] args) throws IOException {
    int pauseAt = args.length > 2 ? Integer.parseInt(args[2]) : -1;
    Instant since = Instant.parse("2026-01-01T00:00:00Z");
    FileSource source = FileSource.open(Path.of(args[0]));
    try (NdjsonSink sink = NdjsonSink.open(Path.of(args[1]));
        Stream<WorkItem> items = source.items(Shard.ALL)) {
      StoredKeys stored = sink.stored(Shard.ALL, since);
      List<ArticleRow> batch = new ArrayList<>();
      int written = 0;
      for (Iterator<WorkItem> it = items.iterator(); it.hasNext(); ) {
        WorkItem item = it.next();
        if (stored.contains(item.key())) {
          continue;
        }
        batch.add(ArticleRow.builder(item.url()).title(item.url().title()).loadedAt(since)
            .summary("x".repeat(2000)).build());
        if (batch.size() == 10 || !it.hasNext()) {
          sink.write(batch);
          written += batch.size();
          batch.clear();
          System.out.println("wrote " + written);
          System.out.flush();
          if (written == pauseAt) {
            System.in.read();
          }
        }
      }
      if (!batch.isEmpty()) {
        sink.write(batch);
      }
      System.out.println("done");
    }
  }
}
