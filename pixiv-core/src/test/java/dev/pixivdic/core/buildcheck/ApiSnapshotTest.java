package dev.pixivdic.core.buildcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.buildcheck.fixture.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiSnapshotTest {

  private static final String FIXTURE = "dev.pixivdic.core.buildcheck.fixture";

  @TempDir Path dir;

  @Test
  void listsThePublicTypesAndMembersOfExportedPackagesOnly() throws Exception {
    String api = ApiSnapshot.describe(Shape.class, FIXTURE);

    assertThat(api).contains(
        "public abstract interface " + FIXTURE + ".Shape\n"
            + "  public abstract double area()\n"
            + "  public default boolean isEmpty()\n",
        "public final class " + FIXTURE + ".Square implements " + FIXTURE + ".Shape\n"
            + "  public " + FIXTURE + ".Square(double)\n"
            + "  public double area()\n"
            + "  public static final int CORNERS\n",
        "public static final class " + FIXTURE + ".Square$Builder\n"
            + "  public " + FIXTURE + ".Square build()\n");
    assertThat(api).doesNotContain("Hidden", "shown", "internal", "Detail", "halfSide", "side",
        "Cache");
  }

  @Test
  void theSnapshotOfTheSameClassesPasses() throws Exception {
    String api = ApiSnapshot.describe(Shape.class, FIXTURE);
    Path snapshot = dir.resolve("api/fixture.api");

    ApiSnapshot.check(api, snapshot, true);

    assertThat(snapshot).hasContent(api);
    assertThatCode(() -> ApiSnapshot.check(api, snapshot, false)).doesNotThrowAnyException();
  }

  @Test
  void aMethodTheSnapshotLacksFailsTheCheckNamingItAndTheRegenerateCommand() throws Exception {
    String api = ApiSnapshot.describe(Shape.class, FIXTURE);
    Path snapshot = dir.resolve("fixture.api");
    Files.writeString(snapshot, api.replace("  public default boolean isEmpty()\n", ""),
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ApiSnapshot.check(api, snapshot, false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("+ public abstract interface " + FIXTURE + ".Shape:\n"
            + "    public default boolean isEmpty()")
        .hasMessageContaining(ApiSnapshot.REGENERATE);
  }

  @Test
  void aTypeRemovedFromTheClassesFailsTheCheckNamingIt() throws Exception {
    String api = ApiSnapshot.describe(Shape.class, FIXTURE);
    Path snapshot = dir.resolve("fixture.api");
    Files.writeString(snapshot, api + "public final class " + FIXTURE + ".Gone\n"
        + "  public void went()\n\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ApiSnapshot.check(api, snapshot, false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("- public final class " + FIXTURE + ".Gone\n");
  }

  @Test
  void aMissingSnapshotFailsWithTheCommandThatWritesIt() {
    assertThatThrownBy(() -> ApiSnapshot.check("x\n", dir.resolve("none.api"), false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no API snapshot at")
        .hasMessageContaining("-Dpixiv.api.write=true");
  }

  @Test
  void theShareOfApiTypesCountsPublicTopLevelTypesOfExportedPackages() throws Exception {
    ApiSnapshot.Share share = ApiSnapshot.share(Shape.class, FIXTURE);

    // Shape and Square are API; Hidden (package-private) and internal.Detail are not, and
    // Square's nested types count with Square.
    assertThat(share.api()).containsExactly(FIXTURE + ".Shape", FIXTURE + ".Square");
    assertThat(share.total()).isEqualTo(4);
    assertThatCode(() -> share.requireAtMost(0.5)).doesNotThrowAnyException();
  }

  @Test
  void aShareAboveTheLimitFailsNamingTheCountAndTheApiTypes() throws Exception {
    ApiSnapshot.Share share = ApiSnapshot.share(Shape.class, FIXTURE);

    assertThatThrownBy(() -> share.requireAtMost(0.35))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("2 of 4 types are public API (50.0%), more than the 35%")
        .hasMessageContaining(FIXTURE + ".Square");
  }
}
