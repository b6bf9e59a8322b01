package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.launcher.run.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A --job-file whose values Kubernetes would refuse, or read otherwise, is refused naming it. */
class JobFileTypesTest {
  private static final String HEAD = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: w\n";
  private static final String POD = "spec:\n  template:\n    spec:\n      containers:\n"
      + "      - name: scrape\n        image: img:1\n";

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int manifest(String template) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, template);
    return Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "manifest",
        "--name", "w", "--image", "img:1", "--job-file", file.toString(), "--", "--source",
        "u.txt");
  }

  @Test
  void anAliasIsRefusedNamingItsLineInsteadOfBecomingTheAnchorsName() throws Exception {
    int code = manifest(HEAD + POD + "        env:\n        - name: TZ\n"
        + "          value: &tz Asia/Tokyo\n        - name: LOG_TZ\n          value: *tz\n");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("line 15", "alias *tz");
  }

  @Test
  void aMergeKeyIsRefusedNamingItsLineInsteadOfBecomingALiteralKey() throws Exception {
    int code = manifest(HEAD + "  labels:\n    team: dic\n"
        + "  annotations:\n    <<: {owner: dic}\n    note: x\n" + POD);

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("line 8", "merge key <<");
  }

  @Test
  void aQuotedMergeKeyIsALiteralKeyAndReadAsOne() throws Exception {
    int code = manifest(HEAD + "  annotations:\n    \"<<\": x\n    '<<<': y\n" + POD);

    assertThat(code).as(err.toString()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {".inf", "-.Inf", ".NaN", "1e400"})
  void aNumberThatIsNotFiniteIsRefusedNamingTheField(String value) throws Exception {
    int code = manifest(HEAD + "spec:\n  backoffLimit: " + value + "\n  template:\n"
        + "    spec:\n      containers:\n      - name: scrape\n        image: img:1\n");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--job-file's spec.backoffLimit ",
        " must be a finite number, as Kubernetes wants it, was ");
    assertThat(err.toString()).doesNotContain("Malformed", "Infinity");
  }

  @Test
  void aSecondDocumentIsRefusedNamingTheLineWhereItBegins() throws Exception {
    int code = manifest(HEAD + POD + "---\napiVersion: v1\nkind: ConfigMap\n");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("line 11", "second YAML document",
        "one Job object");
  }

  @Test
  void anEmptyDocumentAfterTheJobIsAccepted() throws Exception {
    assertThat(manifest(HEAD + POD + "---\n")).as(err.toString()).isZero();
    assertThat(manifest("---\n" + HEAD + POD + "...\n")).as(err.toString()).isZero();
  }

  @Test
  void aNumberWhereKubernetesWantsAStringIsRefusedNamingTheField() throws Exception {
    int code = manifest(HEAD + POD + "        env:\n        - name: V\n          value: 0x1F\n");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("spec.template.spec.containers[0].env[0].value must be a string", "quote it");
  }

  /** The value of an env entry may be a token: the message quoted it in full on stderr. */
  @Test
  void anEnvValueOfTheWrongTypeIsRefusedWithoutShowingIt() throws Exception {
    int code = manifest(HEAD + POD + "        env:\n        - name: API_TOKEN\n"
        + "          value: 123456789012345678901234567890\n");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("spec.template.spec.containers[0].env[0].value must be a string", "quote it")
        .doesNotContain("12345678901234567890");
  }

  @Test
  void aListForAnAnnotationAndAStringForResourcesAreRefusedNamingTheField() throws Exception {
    int list = manifest(HEAD + "  annotations:\n    b: [x, y]\n" + POD);
    String listErr = err.toString();
    int string = manifest(HEAD + POD + "        resources: res\n");

    assertThat(list).isEqualTo(ExitCodes.USAGE);
    assertThat(listErr).contains("metadata.annotations.b must be a string");
    assertThat(string).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("spec.template.spec.containers[0].resources must be an object");
  }

  @Test
  void theLaunchersOwnYamlReadsBackAsATemplate() throws Exception {
    StringWriter out = new StringWriter();
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("manifest",
        "--name", "w", "--image", "img:1", "--label", "commit=8412e10"));
    for (int i = 0; i < ManifestYamlQuotingTest.HOSTILE.size(); i++) {
      args.add("--env");
      args.add("V" + i + "=" + ManifestYamlQuotingTest.HOSTILE.get(i));
    }
    args.addAll(java.util.List.of("--", "--source", "u.txt", "--run-id", "2024_12_07"));
    assertThat(Main.execute(new PrintWriter(out), new PrintWriter(err),
        args.toArray(String[]::new))).isZero();
    String printed = out.toString().replaceAll("(?m)^.*PIXIV_QPS_SHARED_BY\\n.*\\n", "");

    int code = manifest(printed);

    assertThat(code).as(err.toString()).isZero();
  }
}
