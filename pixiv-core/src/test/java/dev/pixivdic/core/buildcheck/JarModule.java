package dev.pixivdic.core.buildcheck;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** How the module system sees the jar a class was packaged in. */
public final class JarModule {

  private JarModule() {}

  /**
   * The module descriptor the module system derives for the jar holding {@code anchor}: for a
   * jar without {@code module-info.class}, an automatic module named by its
   * {@code Automatic-Module-Name}, or else by its file name.
   *
   * @throws AssertionError when the class was not loaded from a jar (run it as an {@code *IT},
   *     after {@code package})
   */
  public static ModuleDescriptor of(Class<?> anchor) {
    Path jar = ClassLocation.of(anchor);
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      throw new AssertionError(anchor + " was loaded from " + jar + ", not from a jar: the"
          + " module name is checked on the packaged jar, in an *IT run by failsafe");
    }
    Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
    if (found.size() != 1) {
      throw new AssertionError(jar + " holds " + found.size() + " modules");
    }
    return found.iterator().next().descriptor();
  }
}
