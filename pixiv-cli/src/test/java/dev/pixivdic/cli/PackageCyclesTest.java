package dev.pixivdic.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.pixivdic.cli.cycle.a.Ping;
import dev.pixivdic.cli.cycle.b.Pong;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the project's main code depend on each other, directly or around a loop:
 * the classes of every module (pixiv-core, pixiv-bigquery, pixiv-bigquery-testing, pixiv-cli,
 * pixiv-k8s-launcher, all on this module's test class path) are read from their class files.
 */
class PackageCyclesTest {

  /** Every package is a slice of its own. */
  private static ArchRule noCycles() {
    return slices().matching("dev.pixivdic.(**)").should().beFreeOfCycles();
  }

  @Test
  void theMainCodeOfEveryModuleHasNoPackageCycle() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // A module's test jar (pixiv-core's, after package) is test code too.
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.pixivdic");
    assertThat(classes.stream().map(JavaClass::getPackageName).distinct())
        .contains("dev.pixivdic.core", "dev.pixivdic.bigquery", "dev.pixivdic.bigquery.internal",
            "dev.pixivdic.cli", "dev.pixivdic.launcher.run")
        .doesNotContain("dev.pixivdic.cli.cycle.a");

    noCycles().check(classes);
  }

  @Test
  void twoPackagesThatUseEachOtherAreACycle() {
    EvaluationResult result = noCycles().evaluate(
        new ClassFileImporter().importClasses(Ping.class, Pong.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString())
        .contains("dev.pixivdic.cli.cycle.a.Ping").contains("dev.pixivdic.cli.cycle.b.Pong");
  }
}
