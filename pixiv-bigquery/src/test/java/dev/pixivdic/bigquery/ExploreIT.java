package dev.pixivdic.bigquery;

import dev.pixivdic.core.Shard;
import org.junit.jupiter.api.Test;

class ExploreIT {
  @Test
  void explore() throws Exception {
    try (Stub stub = new Stub()) {
      BigQueryConnection c = stub.connection(1);
      BigQuerySource src = BigQuerySource.builder(c, TableRef.parse("bq:test-project.ds.src")).build();
      try {
        src.items(new Shard(0, 2)).count();
      } catch (Exception e) {
        System.err.println("EXC " + e);
      }
      for (var r : stub.all()) {
        System.err.println(r.getMethod() + " " + r.getUrl() + " " + r.getHeaders() + "\n" + Stub.body(r));
      }
    }
  }
}
