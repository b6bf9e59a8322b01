package dev.pixivdic.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.pixivdic.embedder.ReachesIn;
import org.junit.jupiter.api.Test;

/**
 * The {@code internal} packages of pixiv-core carry no compatibility promise, so only the
 * project's own library and command modules use them: pixiv-core itself, pixiv-bigquery and
 * pixiv-cli (docs/decisions.md, "Public API"). The example application checks the same from
 * its side (examples/embedding, {@code ApiOnlyTest}).
 */
class InternalPackagesTest {

  private static final ArchRule ONLY_OWN_MODULES = classes()
      .that().resideInAPackage("dev.pixivdic.core..internal..")
      .should().onlyHaveDependentClassesThat().resideInAnyPackage(
          "dev.pixivdic.core..", "dev.pixivdic.bigquery..", "dev.pixivdic.cli..")
      .because("internal packages of pixiv-core are no API (docs/decisions.md)");

  @Test
  void onlyCoreBigQueryAndTheCommandUseTheInternalPackagesOfCore() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.pixivdic");
    assertThat(classes.stream().map(JavaClass::getPackageName).distinct())
        .contains("dev.pixivdic.core.internal", "dev.pixivdic.core.run.internal",
            "dev.pixivdic.launcher");

    ONLY_OWN_MODULES.check(classes);
  }

  @Test
  void aClassOfAnotherPackageThatUsesAnInternalClassBreaksTheRule() {
    JavaClasses classes = new ClassFileImporter()
        .importClasses(ReachesIn.class, dev.pixivdic.core.internal.ScraperVersion.class);

    assertThat(ONLY_OWN_MODULES.evaluate(classes).getFailureReport().toString())
        .contains(ReachesIn.class.getName());
  }
}
