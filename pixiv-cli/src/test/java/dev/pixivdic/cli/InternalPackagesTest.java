package dev.pixivdic.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.pixivdic.bigquery.internal.Hashes;
import dev.pixivdic.core.internal.ScraperVersion;
import dev.pixivdic.embedder.ReachesIn;
import dev.pixivdic.support.internal.LogText;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code internal} packages of every module carry no compatibility promise, so only their
 * own module uses them, and the modules docs/decisions.md ("Public API") names: pixiv-core's
 * are used by pixiv-bigquery and pixiv-cli too, pixiv-support's by every module of the project
 * (it is their shared base); no one else's are shared. The example application checks the same
 * from its side (examples/embedding, {@code ApiOnlyTest}). This module's tests see every module.
 */
class InternalPackagesTest {

  /** Each module's root package, longest first, so that a package belongs to one module. */
  private static final List<String> MODULES = List.of(
      "dev.pixivdic.bigquery.testing", "dev.pixivdic.bigquery", "dev.pixivdic.core",
      "dev.pixivdic.support", "dev.pixivdic.cli", "dev.pixivdic.launcher").stream()
      .sorted(Comparator.comparingInt(String::length).reversed()).toList();

  /** Besides the module itself, who may use its internal packages. */
  private static final Map<String, Set<String>> ALSO_USED_BY = Map.of(
      "dev.pixivdic.core", Set.of("dev.pixivdic.bigquery", "dev.pixivdic.cli"),
      "dev.pixivdic.support", Set.of("dev.pixivdic.core", "dev.pixivdic.bigquery",
          "dev.pixivdic.cli", "dev.pixivdic.launcher"));

  private static final ArchRule ONLY_ALLOWED_MODULES = classes()
      .that().resideInAPackage("dev.pixivdic..internal..")
      .should(beUsedOnlyByTheirModuleOrThoseAllowed())
      .because("internal packages are no API (docs/decisions.md)");

  /** The module whose root package holds {@code packageName}, or empty for none. */
  private static String moduleOf(String packageName) {
    return MODULES.stream()
        .filter(root -> packageName.equals(root) || packageName.startsWith(root + "."))
        .findFirst().orElse("");
  }

  private static ArchCondition<JavaClass> beUsedOnlyByTheirModuleOrThoseAllowed() {
    return new ArchCondition<>("be used only by their own module or those allowed to") {
      @Override
      public void check(JavaClass internal, ConditionEvents events) {
        String owner = moduleOf(internal.getPackageName());
        for (Dependency d : internal.getDirectDependenciesToSelf()) {
          String user = moduleOf(d.getOriginClass().getPackageName());
          if (!user.equals(owner) && !ALSO_USED_BY.getOrDefault(owner, Set.of()).contains(user)) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  private static JavaClasses mainClasses() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.pixivdic");
  }

  @Test
  void eachModulesInternalPackagesAreUsedOnlyByTheModulesAllowedTo() {
    JavaClasses classes = mainClasses();
    assertThat(classes.stream().map(JavaClass::getPackageName).distinct())
        .contains("dev.pixivdic.core.internal", "dev.pixivdic.core.run.internal",
            "dev.pixivdic.support.internal", "dev.pixivdic.bigquery.internal",
            "dev.pixivdic.launcher");

    ONLY_ALLOWED_MODULES.check(classes);
  }

  @Test
  void everyPackageOfTheProjectBelongsToAModuleOfTheRule() {
    assertThat(mainClasses().stream().map(JavaClass::getPackageName).distinct())
        .allSatisfy(p -> assertThat(moduleOf(p)).as(p).isNotEmpty());
  }

  @Test
  void anApplicationThatUsesAnInternalClassOfCoreOrSupportBreaksTheRule() {
    JavaClasses classes = new ClassFileImporter()
        .importClasses(ReachesIn.class, ScraperVersion.class, LogText.class);

    assertThat(ONLY_ALLOWED_MODULES.evaluate(classes).getFailureReport().getDetails())
        .hasSize(2).allSatisfy(line -> assertThat(line).contains(ReachesIn.class.getName()))
        .anySatisfy(line -> assertThat(line).contains(ScraperVersion.class.getName()))
        .anySatisfy(line -> assertThat(line).contains(LogText.class.getName()));
  }

  @Test
  void aModuleAllowedIntoCoreIsStillRefusedTheInternalPackagesOfBigQuery() {
    JavaClasses classes = new ClassFileImporter()
        .importClasses(ReachesIntoBigQuery.class, Hashes.class, ScraperVersion.class,
            VersionProvider.class);

    // VersionProvider's use of core's ScraperVersion is allowed; ReachesIntoBigQuery's is not.
    assertThat(ONLY_ALLOWED_MODULES.evaluate(classes).getFailureReport().getDetails())
        .singleElement().asString()
        .contains(ReachesIntoBigQuery.class.getName(), Hashes.class.getName());
  }
}
