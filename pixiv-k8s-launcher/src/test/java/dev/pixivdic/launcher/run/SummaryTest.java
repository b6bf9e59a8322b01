package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import dev.pixivdic.launcher.manifest.Specs;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private final ObjectNode job = Fixtures.created(ManifestBuilder.build(Specs.simple("j", 12, 4)), "u");

  @Test
  void podsAreListedInNumericIndexOrder() {
    var complete = Fixtures.withCondition(job, "Complete", "CompletionsReached", "");
    ((ObjectNode) complete.get("status")).put("succeeded", 3);

    Summary s = Summary.of("ns/j", complete, List.of(terminated("p10", 10, 0, "Completed", null),
        terminated("p2", 2, 0, "Completed", null), terminated("p1", 1, 0, "Completed", null)));

    assertThat(s.exitCode()).isZero();
    assertThat(s.lines()).containsExactly("Job ns/j succeeded: 3 of 12 indexes completed",
        "  index 1 pod p1: exit code 0 (Completed)", "  index 2 pod p2: exit code 0 (Completed)",
        "  index 10 pod p10: exit code 0 (Completed)");
  }

  @Test
  void withoutAnyContainerExitCodeAFailedJobExitsWithOne() {
    var failed = Fixtures.withCondition(job, "Failed", "BackoffLimitExceeded", "");

    Summary s = Summary.of("ns/j", failed, List.of(Fixtures.waiting("p0", 0, "ErrImagePull", "not found")));

    assertThat(s.exitCode()).isEqualTo(1);
    assertThat(s.lines()).contains("  index 0 pod p0: Pending (ErrImagePull: not found)");
  }
}
