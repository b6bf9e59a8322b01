package dev.pixivdic.examples.embedding;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * An application embeds pixiv-core through its API alone: no class of the example uses a
 * package of pixiv-core named {@code internal}, which carries no compatibility promise
 * (docs/decisions.md, "Public API").
 */
class ApiOnlyTest {

  private static final ArchRule API_ONLY = noClasses()
      .should().dependOnClassesThat().resideInAPackage("dev.pixivdic..internal..")
      .because("internal packages of pixiv-core are no API (docs/decisions.md)");

  @Test
  void theExampleUsesNoInternalPackageOfPixivCore() {
    JavaClasses example = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.pixivdic.examples.embedding");
    assertThat(example).isNotEmpty();

    API_ONLY.check(example);
  }

  @Test
  void aClassThatUsesAnInternalPackageBreaksTheRule() {
    JavaClasses offender = new ClassFileImporter().importClasses(UsesInternal.class);

    assertThat(API_ONLY.evaluate(offender).getFailureReport().toString())
        .contains(UsesInternal.class.getName()).contains("dev.pixivdic.core.internal.RowJson");
  }

  /** What the rule must catch: an embedder reaching into an internal package. */
  static final class UsesInternal {
    String json(dev.pixivdic.core.ArticleRow row) {
      return dev.pixivdic.core.internal.RowJson.write(row);
    }
  }
}
