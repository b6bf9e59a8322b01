package dev.pixivdic.bigquery;

import dev.pixivdic.core.buildcheck.ApiSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The public API of pixiv-bigquery is the checked-in {@code api/pixiv-bigquery.api}; the
 * {@code internal} package is not part of it (docs/decisions.md, "Public API").
 */
class PublicApiTest {

  @Test
  void theCompiledApiEqualsTheCheckedInSnapshot() throws Exception {
    ApiSnapshot.check(ApiSnapshot.describe(TableRef.class, "dev.pixivdic.bigquery"),
        Path.of("api", "pixiv-bigquery.api"));
  }
}
