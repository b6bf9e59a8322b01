package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.launcher.run.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes in what a user gives {@code pixiv-launch} that it used to take, or to refuse in
 * misleading words or with a secret in them: each exits 2 before any Job exists, says what to
 * write instead, prints no Job and shows no value that may be a secret.
 */
class MistakenArgumentsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  @TempDir Path dir;

  /** pixiv scrape refuses merge into a file, so every pod exited 2. */
  @Test
  void sinkModeMergeIntoAFileIsRefusedAsEveryPodWouldRefuseIt() {
    for (List<String> scrape : List.of(List.of("--sink-mode", "merge"),
        List.of("--sink", "rows.ndjson", "--sink-mode", "merge"),
        List.of("--sink", "bq:myproj.d.t", "--sink-mode", "merge", "--sink", "rows.ndjson"))) {
      assertRefused(manifest(List.of(), scrape), "every pod would exit 2: --sink-mode merge is"
          + " for BigQuery sinks", "leave --sink-mode out, or give a bq: --sink");
    }
    assertRefused(manifest(List.of(), List.of("--sink-mode", "upsert")),
        "--sink-mode is append or merge, was 'upsert'");
    assertThat(run(manifest(List.of(), List.of("--sink", "bq:myproj.d.t", "--sink-mode", "merge"))))
        .as(err.toString()).isZero();
  }

  @Test
  void aVariableGivenToEnvFromSecretIsRefusedWithoutItsValue() {
    assertRefused(manifest(List.of("--env-from-secret", "API_KEY=S3CR3T"), List.of()),
        "--env-from-secret takes the name of a Secret", "'API_KEY=***'");
  }

  /** It was taken as a variable named after the value, set to "=". */
  @Test
  void aBase64ValueWithoutItsNameIsRefusedAsNoNameWithoutShowingIt() {
    assertRefused(manifest(List.of("--env", "dGhpcyBpcyBzZWNyZXQ=="), List.of()),
        "--env", "no valid name in it", "(21 characters, not shown");
    assertThat(err.toString()).doesNotContain("dGhpcyBpcyBzZWNyZXQ");
    assertThat(run(manifest(List.of("--env", "EMPTY="), List.of()))).as(err.toString()).isZero();
    assertRefused(manifest(List.of("--env", "dGhpcyBpcw=="), List.of()),
        "--env", "no valid name in it", "(12 characters, not shown");
    assertThat(err.toString()).doesNotContain("dGhpcyBpcw");
  }

  /** QQ== (base64 of "A") was taken as the variable QQ set to "=". */
  @Test
  void aShortBase64ValueOfOneCaseWithoutItsNameIsRefusedToo() {
    for (String value : List.of("QQ==", "QUFBQQ==", "MA==", "Zg==")) {
      assertRefused(manifest(List.of("--env", value), List.of()), "--env",
          "no valid name in it", "(" + value.length() + " characters, not shown");
      assertThat(err.toString()).as(value).doesNotContain(value);
    }
    // Never an encoder's output: names set to "=".
    assertThat(run(manifest(List.of("--env", "SEP==", "--env", "AB==", "--env", "MY_VAR=="),
        List.of()))).as(err.toString()).isZero();
    assertThat(out.toString()).contains("SEP", "AB", "MY_VAR");
  }

  /** A name set to '=' signs was refused as base64 text without its name. */
  @Test
  void aNameSetToEqualsSignsIsTakenAsGiven() {
    assertThat(run(manifest(List.of("--env", "SEP==", "--env", "PAD==="), List.of())))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("SEP", "PAD");
  }

  /** The last value won without a word, where a repeated --env name was refused. */
  @Test
  void aLabelOrNodeSelectorKeyGivenTwiceIsRefusedAsARepeatedEnvNameIs() {
    assertRefused(manifest(List.of("--label", "team=a", "--label", "team=b"), List.of()),
        "--label team is given twice; give each key once");
    assertRefused(manifest(List.of("--node-selector", "pool=a", "--node-selector", "pool=a"),
        List.of()), "--node-selector pool is given twice");
  }

  /** It said "unknown option '--source'", a scrape argument. */
  @Test
  void anEnvRightBeforeTheSeparatorIsSaidToNeedItsValue() {
    assertRefused(manifest(List.of("--env", "A=1", "--env"), List.of()),
        "--env needs NAME=VALUE and got '--'");
    assertThat(err.toString()).doesNotContain("unknown option");
  }

  /** The refusal said "after --" of a word given before it. */
  @Test
  void aSecondPairAfterOneEnvIsSaidToComeBeforeTheSeparator() {
    assertRefused(manifest(List.of("--env", "A=1", "B=S3CR3T"), List.of()),
        "'B=***' came before --", "--env A=1 --env B=2");
    assertThat(err.toString()).doesNotContain("refuse the arguments after --");
  }

  /** picocli read A="x y" as A= and a word, which reached the scrape arguments' refusal. */
  @Test
  void aPairWhoseValueAloneIsQuotedInAnArgumentFileIsRefusedWithoutTheValue() throws IOException {
    Path args = Files.writeString(dir.resolve("job.args"),
        "--shards 2\n--env A=\"x S3CR3T y\"\n");

    assertRefused(manifest(List.of("@" + args), List.of()), "--env A= in the argument file "
        + args + " (line 2)", "--env \"A=...\"");
  }

  @Test
  void aValueOfAnUnknownOptionOrASecondPairInAnArgumentFileIsNotShown() throws IOException {
    Path unknown = Files.writeString(dir.resolve("unknown.args"), "--bogus=S3CR3T\n");
    Path pair = Files.writeString(dir.resolve("pair.args"), "--env A=1 B=S3CR3T\n");

    assertRefused(manifest(List.of("@" + unknown), List.of()), "--bogus");
    assertRefused(manifest(List.of("@" + pair), List.of()), "B=***");
  }

  /** picocli read such a file once and went on, where pixiv refuses it. */
  @Test
  void anArgumentFileThatIncludesItselfThroughAnotherIsRefused() throws IOException {
    Path a = dir.resolve("a.args");
    Path b = Files.writeString(dir.resolve("b.args"), "--shards 2\n@" + a + "\n");
    Files.writeString(a, "@" + b + "\n");

    assertRefused(manifest(List.of("@" + a), List.of()), "argument file " + a
        + " includes itself through " + a + " -> " + b + " -> " + a);
  }

  /**
   * An argument file after -- is refused as the pods' to read: one of that name on the
   * launcher's host was read there, and refused the launch for what it held.
   */
  @Test
  void anArgumentFileAfterTheEndOfOptionsIsNotOpenedOnTheLaunchersHost() throws IOException {
    Path a = dir.resolve("a.args");
    Files.writeString(a, "@" + a + "\n");

    for (Path file : List.of(a, dir)) {
      assertRefused(manifest(List.of(), List.of("@" + file)), "'@" + file + "' after --: pixiv"
          + " would read arguments from that file in each pod");
      assertThat(err.toString()).doesNotContain("includes itself", "must be a regular file");
    }
  }

  /** The API server refused them only once the Job was sent. */
  @Test
  void quantitiesKubernetesCannotHoldAndAnEnvTooLargeToStoreAreRefusedAtOnce() {
    assertRefused(manifest(List.of("--memory", "99999999999999999999999Ei"), List.of()),
        "--memory must be at most 2^63-1 bytes");
    assertRefused(manifest(List.of("--cpu", "9300000000000000000"), List.of()),
        "--cpu must be at most 2^63-1 cores");
    assertRefused(manifest(List.of("--memory", "0.5"), List.of()),
        "--memory must be at least one byte");
    assertRefused(manifest(List.of("--memory", "-1Gi"), List.of()), "--memory");
    assertRefused(manifest(List.of("--memory", "0"), List.of()), "--memory must be more than 0");
    String huge = "S3CR3T".repeat(350_000);
    assertRefused(manifest(List.of("--env", "BIG=" + huge), List.of()),
        "--env BIG: its value has 2100000 characters (not shown)", "at most 1048576");
    assertThat(run(manifest(List.of("--memory", "7Ei", "--cpu", "64"), List.of())))
        .as(err.toString()).isZero();
  }

  private void assertRefused(String[] args, String... says) {
    err.getBuffer().setLength(0);
    out.getBuffer().setLength(0);
    int code = run(args);

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains(says).doesNotContain("S3CR3T");
    assertThat(out.toString()).isEmpty();
  }

  private static String[] manifest(List<String> options, List<String> scrape) {
    List<String> args = new ArrayList<>(List.of("manifest", "--name", "j", "--image", "img:1"));
    args.addAll(options);
    args.add("--");
    args.addAll(List.of("--source", "urls.txt"));
    args.addAll(scrape);
    return args.toArray(String[]::new);
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }
}
