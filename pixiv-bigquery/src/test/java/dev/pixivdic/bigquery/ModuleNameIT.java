package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.buildcheck.JarModule;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** Checks the packaged jar, so it runs after {@code package}. */
class ModuleNameIT {

  @Test
  void theJarIsTheAutomaticModuleDevPixivdicBigquery() {
    ModuleDescriptor module = JarModule.of(TableRef.class);

    assertThat(module.name()).isEqualTo("dev.pixivdic.bigquery");
    assertThat(module.isAutomatic()).isTrue();
    assertThat(module.packages()).contains("dev.pixivdic.bigquery",
        "dev.pixivdic.bigquery.internal");
  }
}
