package dev.pixivdic.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Checks the packaged jar, so it runs after {@code package}. */
class ModuleNameIT {

  @Test
  void theJarIsTheAutomaticModuleDevPixivdicSupport() throws Exception {
    Path jar = Path.of(ProxySettings.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    assertThat(jar.toString()).as("run after package, on the jar").endsWith(".jar");
    Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
    assertThat(found).hasSize(1);
    ModuleDescriptor module = found.iterator().next().descriptor();

    assertThat(module.name()).isEqualTo("dev.pixivdic.support");
    assertThat(module.isAutomatic()).isTrue();
    assertThat(module.packages()).contains("dev.pixivdic.support",
        "dev.pixivdic.support.internal", "dev.pixivdic.support.notify",
        "dev.pixivdic.support.cli", "dev.pixivdic.support.logging");
  }
}
