package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.buildcheck.JarModule;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** Checks the packaged jar, so it runs after {@code package}. */
class ModuleNameIT {

  @Test
  void theJarIsTheAutomaticModuleDevPixivdicCore() {
    ModuleDescriptor module = JarModule.of(ArticleUrl.class);

    assertThat(module.name()).isEqualTo("dev.pixivdic.core");
    assertThat(module.isAutomatic()).isTrue();
    assertThat(module.packages()).contains("dev.pixivdic.core", "dev.pixivdic.core.fetch",
        "dev.pixivdic.core.testing");
  }
}
