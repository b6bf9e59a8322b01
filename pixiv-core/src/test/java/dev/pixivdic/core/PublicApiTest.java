package dev.pixivdic.core;

import dev.pixivdic.core.buildcheck.ApiSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The public API of pixiv-core is the checked-in {@code api/pixiv-core.api}: a change to it
 * changes that file in the same commit (docs/decisions.md, "Public API").
 */
class PublicApiTest {

  @Test
  void theCompiledApiEqualsTheCheckedInSnapshot() throws Exception {
    ApiSnapshot.check(ApiSnapshot.describe(ArticleUrl.class, "dev.pixivdic.core"),
        Path.of("api", "pixiv-core.api"));
  }
}
