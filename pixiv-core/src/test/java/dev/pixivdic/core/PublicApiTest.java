package dev.pixivdic.core;

import dev.pixivdic.core.buildcheck.ApiSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The public API of pixiv-core is the checked-in {@code api/pixiv-core.api}: a change to it
 * changes that file in the same commit, and at most 35% of the module's types are API
 * (docs/decisions.md, "Public API").
 */
class PublicApiTest {

  /** The decided ceiling (docs/decisions.md, "Public API"). */
  private static final double MAX_API_SHARE = 0.35;

  @Test
  void atMost35PercentOfTheTypesArePublicApi() throws Exception {
    ApiSnapshot.share(ArticleUrl.class, "dev.pixivdic.core").requireAtMost(MAX_API_SHARE);
  }

  @Test
  void theCompiledApiEqualsTheCheckedInSnapshot() throws Exception {
    ApiSnapshot.check(ApiSnapshot.describe(ArticleUrl.class, "dev.pixivdic.core"),
        Path.of("api", "pixiv-core.api"));
  }
}
