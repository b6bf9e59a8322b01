package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.launcher.run.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option of {@code pixiv-launch} given a bad value, as a hostile or careless user would:
 * the command exits 2 (usage) with a message naming the option, prints no Job, and never ends as
 * an internal error (exit 1) or hangs.
 */
class BadOptionValuesTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  @TempDir Path dir;

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("--name", "was 'Job_1'", "--name", "Job_1"),
        bad("--name", "a", "--name", "a".repeat(64)),
        bad("--name", "at most 60 characters for 40 shards", "--name", "a".repeat(61),
            "--shards", "40"),
        bad("--name", "at most 61 characters for 1 shards", "--name", "a".repeat(62)),
        bad("--namespace", "DNS-1123", "--namespace", "a/b"),
        bad("--service-account", "DNS-1123", "--service-account", "Digdag Runner"),
        bad("--image", "--image is required", "--image", " "),
        bad("--image", "was 'registry.example/Pixiv:1'", "--image", "registry.example/Pixiv:1"),
        bad("--image", "image reference", "--image", "https://registry.example/pixiv:1"),
        bad("--image", "image reference", "--image", "pixiv:1.0 "),
        bad("--image", "image reference", "--image", "pixiv:-1"),
        bad("--image", "image reference", "--image", "pixiv:" + "1".repeat(129)),
        bad("--image", "image reference", "--image", "pixiv@sha256:abc123"),
        bad("--image", "image reference", "--image", "pixiv//scraper"),
        bad("--image", "image reference", "--image", "registry.example:port/pixiv"),
        bad("--image", "at most 255 characters", "--image",
            "registry.example/" + "p".repeat(250) + ":1"),
        bad("--image-pull-policy", "one of", "--image-pull-policy", "always"),
        bad("--shards", "--shards must be > 0", "--shards", "0"),
        bad("--shards", "'abc' is not an int", "--shards", "abc"),
        bad("--shards", "99999999999", "--shards", "99999999999"),
        // Integer.parseInt reads any script's digits: these were 2 shards, 1 pod at once.
        bad("--shards", "'٢' is not an int", "--shards", "٢"),
        bad("--shards", "'２' is not an int", "--shards", "２"),
        bad("--parallelism", "'１' is not an int", "--parallelism", "１"),
        bad("--backoff-limit-per-index", "'٣' is not an int", "--backoff-limit-per-index",
            "٣"),
        bad("--shards", "--shards must be from 1 to 100000", "--shards", "100001"),
        // It was blamed on the share of --qps (the parallelism defaults to the shards).
        bad("--shards", "--shards must be from 1 to 100000, was 1000000000", "--shards",
            "1000000000"),
        bad("--parallelism", "'-1' is not an int written in ASCII digits without a sign",
            "--parallelism", "-1"),
        // A sign is no part of a count: pixiv refuses one in the shard it is given.
        bad("--parallelism", "'+1' is not an int written in ASCII digits without a sign",
            "--parallelism", "+1"),
        bad("--shards", "'+2' is not an int written in ASCII digits without a sign",
            "--shards", "+2"),
        bad("--parallelism", "must be <= --shards", "--shards", "2", "--parallelism", "3"),
        bad("--qps", "--qps must be > 0", "--qps", "0"),
        bad("--qps", "'٠.٥' is not a number", "--qps", "٠.٥"),
        bad("--qps", "'２' is not a number", "--qps", "２"),
        bad("--qps", "--qps", "--qps", "NaN"),
        bad("--qps", "--qps", "--qps", "Infinity"),
        bad("--qps", "--qps must be from 0.0001 to 10000", "--qps", "1e999999999"),
        bad("--qps", "--qps must be from 0.0001 to 10000", "--qps", "1e-999999999"),
        bad("--qps", "--qps must be from 0.0001 to 10000", "--qps", "10001"),
        bad("--qps", "--parallelism", "--qps", "0.0001", "--shards", "4"),
        bad("--backoff-limit-per-index", "must be >= 0", "--backoff-limit-per-index", "-1"),
        bad("--active-deadline", "no unit", "--active-deadline", "6"),
        // The Job holds seconds: 1500ms became 1s without a word.
        bad("--active-deadline", "whole seconds (the Job holds seconds), was 1s500ms",
            "--active-deadline", "1500ms"),
        bad("--ttl", "--ttl must be whole seconds", "--ttl", "PT0.5S"),
        // A value quoted in a message cannot start a line of its own.
        bad("--name", "was 'bad\\nFORGED: line'", "--name", "bad\nFORGED: line"),
        bad("--label", "was 'x\\r\\u001b[2J'", "--label", "team=x\r\u001b[2J"),
        bad("--ttl", "is not a duration", "--ttl", "P1Y"),
        bad("--cpu", "--cpu must be a Kubernetes quantity", "--cpu", "1 cpu"),
        bad("--memory", "--memory must be a Kubernetes quantity", "--memory", "-1Gi"),
        bad("--env", "--env name", "--env", "1A=b"),
        bad("--env", "--env", "--env", "NOVALUE"),
        bad("--env", "was '.'", "--env", ".=x"),
        bad("--env", "was '..'", "--env", "..=x"),
        bad("--env", "was '..X'", "--env", "..X=x"),
        bad("--env-from-secret", "--env-from-secret", "--env-from-secret", "My Secret"),
        bad("--env", "only http://", "--env", "https_proxy=socks5://proxy.corp:1080"),
        bad("--env", "not a proxy URL", "--env", "HTTP_PROXY=http://[::1"),
        bad("--env", "--env-from-secret", "--env", "HTTPS_PROXY=http://u:pw@proxy.corp:3128"),
        bad("--env", "sets JOB_COMPLETION_INDEX", "--env", "JOB_COMPLETION_INDEX=0"),
        bad("--env", "sets PIXIV_QPS_SHARED_BY", "--env", "PIXIV_QPS_SHARED_BY=1"),
        // pixiv reads neither: the pods went direct without a word.
        bad("--env", "--env Https_Proxy: pixiv reads https_proxy or HTTPS_PROXY only", "--env",
            "Https_Proxy=http://proxy.corp:3128"),
        bad("--env", "pixiv reads no_proxy or NO_PROXY only", "--env", "No_Proxy=.corp"),
        bad("--env", "sets CLOUD_RUN_TASK_INDEX", "--env", "CLOUD_RUN_TASK_INDEX=3"),
        bad("--memory", "--memory must be more than 0", "--memory", "0"),
        bad("--cpu", "--cpu must be more than 0", "--cpu", "0m"),
        bad("--memory", "thousandths of a byte", "--memory", "1m"),
        bad("--label", "--label key", "--label", "a b=c"),
        bad("--label", "--label x value", "--label", "x=" + "v".repeat(64)),
        bad("--node-selector", "--node-selector key", "--node-selector", "=x"),
        bad("--label", "was 'a..b/team'", "--label", "a..b/team=x"),
        bad("--node-selector", "was 'a.-b/team'", "--node-selector", "a.-b/team=x"),
        bad("--label", "--label key", "--label", "a".repeat(254) + "/team=x"),
        bad("--label", "--label pixivdic.dev/launch is set by pixiv-launch", "--label",
            "pixivdic.dev/launch=other"),
        bad("--label", "--label app.kubernetes.io/name is set by pixiv-launch", "--label",
            "app.kubernetes.io/name=mine"),
        bad("--label", "--label controller-uid is set on the pods by the Job controller",
            "--label", "controller-uid=xyz"),
        bad("--label", "--label job-name is set on the pods by the Job controller", "--label",
            "job-name=other"),
        bad("--label", "--label batch.kubernetes.io/job-completion-index is set on the pods",
            "--label", "batch.kubernetes.io/job-completion-index=3"),
        bad("--job-file", "/nonexistent/job.yaml: no such file or directory", "--job-file",
            "/nonexistent/job.yaml"),
        bad("--env", "--env K is given twice", "--env", "K=1", "--env", "K=2"),
        bad("-o", "-o must be yaml or json", "-o", "xml"));
  }

  private static Arguments bad(String option, String says, String... args) {
    return Arguments.of(option, says, Arrays.asList(args));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("badValues")
  void aBadValueExitsTwoNamingTheOption(String option, String says, List<String> given) {
    List<String> args = new ArrayList<>(List.of("manifest"));
    for (String required : List.of("--name", "--image")) {
      if (!given.contains(required)) {
        args.addAll(List.of(required, required.equals("--name") ? "j" : "img:1"));
      }
    }
    args.addAll(given);
    args.addAll(List.of("--", "--source", "urls.txt"));

    int code = run(args.toArray(String[]::new));

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains(option).contains(says);
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("imageReferences")
  void everyFormOfImageReferenceIsAccepted(String image) {
    int code = run("manifest", "--name", "j", "--image", image, "--", "--source", "urls.txt");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains(image);
  }

  static Stream<String> imageReferences() {
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    return Stream.of(
        "pixiv",
        "pixiv:1.0.0-rc.1_b2",
        "localhost:5000/pixiv/scraper:1",
        "asia-northeast1-docker.pkg.dev/my-project/images/pixiv@" + digest,
        "ghcr.io/team_a/pixiv__cli/scraper--x:v1@" + digest,
        "[::1]:5000/pixiv:Latest",
        "Registry.Example.COM/pixiv:1");
  }

  /**
   * pixiv refuses such an origin or user agent at the door, so every pod would exit 2; and an
   * origin's user info or query would be shown to whoever may read the Job.
   */
  @Test
  void anOriginOrUserAgentThatPixivRefusesIsRefusedWithoutShowingItsSecret() {
    String origin = "http://u:hunter2@mirror.local/?token=s3cr3t";
    List<List<String>> cases = List.of(
        List.of("--", "--source", "urls.txt", "--origin", origin),
        List.of("--env", "PIXIV_ORIGIN=" + origin, "--", "--source", "urls.txt"),
        // pixiv refuses an empty one: every pod exited 2.
        List.of("--env", "PIXIV_ORIGIN=", "--", "--source", "urls.txt"),
        List.of("--env", "PIXIV_ORIGIN= ", "--", "--source", "urls.txt"),
        List.of("--", "--source", "urls.txt", "--user-agent", "x\u001b[31m"));
    for (List<String> c : cases) {
      err.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(List.of("manifest", "--name", "j", "--image", "img:1"));
      args.addAll(c);

      int code = run(args.toArray(String[]::new));

      assertThat(code).as("%s: %s", c, err).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as("%s", c).containsAnyOf("origin", "userAgent", "ORIGIN")
          .contains("every pod would exit 2").doesNotContain("hunter2", "s3cr3t", "\u001b");
      assertThat(out.toString()).isEmpty();
    }
    assertThat(run("manifest", "--name", "j", "--image", "img:1", "--", "--source", "urls.txt",
        "--origin", "http://127.0.0.1:8080/mirror")).as(err.toString()).isZero();
  }

  /**
   * A BigQuery endpoint with a user, password, query or fragment, after -- or in --env, went into
   * the Job's spec for anyone who may read it, and every pod using BigQuery then exited 2.
   */
  @Test
  void aBigQueryEndpointCarryingASecretIsRefusedWithoutShowingIt() {
    List<List<String>> cases = List.of(
        List.of("--", "--source", "bq:myproj.d.t", "--bigquery-endpoint",
            "http://user:hunter2@127.0.0.1:9050"),
        List.of("--", "--source", "urls.txt", "--bigquery-endpoint",
            "http://user:hunter2@127.0.0.1:9050"),
        List.of("--", "--source", "bq:myproj.d.t", "--bigquery-endpoint",
            "http://127.0.0.1:9050/x?key=hunter2#frag"),
        List.of("--env", "BIGQUERY_EMULATOR_HOST=http://u:hunter2@127.0.0.1:9050", "--",
            "--source", "bq:myproj.d.t"),
        List.of("--env", "BIGQUERY_EMULATOR_HOST=http://127.0.0.1:9050#hunter2", "--",
            "--source", "urls.txt"));
    for (List<String> c : cases) {
      err.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(List.of("manifest", "--name", "j", "--image", "img:1"));
      args.addAll(c);

      int code = run(args.toArray(String[]::new));

      assertThat(code).as("%s: %s", c, err).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as("%s", c)
          .containsAnyOf("--bigquery-endpoint", "BIGQUERY_EMULATOR_HOST")
          .contains("takes no user, password, query or fragment", "***")
          .doesNotContain("hunter2");
      assertThat(out.toString()).isEmpty();
    }
    assertThat(run("manifest", "--name", "j", "--image", "img:1", "--env",
        "BIGQUERY_EMULATOR_HOST=http://127.0.0.1:9050", "--", "--source", "bq:myproj.d.t",
        "--bigquery-endpoint", "http://127.0.0.1:9050")).as(err.toString()).isZero();
  }

  /** pixiv refuses a table name outside BigQuery's rules, so every pod exited 2. */
  @Test
  void aBigQueryTableThatPixivRefusesIsRefusedAsPixivSaysIt() {
    List<List<String>> cases = List.of(
        List.of("--source", "bq:p.d.t"),
        List.of("--source", "urls.txt", "--sink", "bq:myproj.d"),
        List.of("--source", "urls.txt", "--sink", "bq:myproj.d;drop.t"));
    for (List<String> c : cases) {
      err.getBuffer().setLength(0);
      List<String> args =
          new ArrayList<>(List.of("manifest", "--name", "j", "--image", "img:1", "--"));
      args.addAll(c);

      int code = run(args.toArray(String[]::new));

      assertThat(code).as("%s: %s", c, err).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as("%s", c).contains("every pod would exit 2")
          .containsAnyOf("invalid BigQuery project id 'p'",
              "a BigQuery table is written bq:PROJECT.DATASET.TABLE",
              "invalid BigQuery dataset id 'd;drop'");
      assertThat(out.toString()).isEmpty();
    }
    assertThat(run("manifest", "--name", "j", "--image", "img:1", "--", "--source",
        "bq:example.com:my-proj.d_1.t-2", "--sink", "bq:myproj.d.out"))
        .as(err.toString()).isZero();
  }

  /**
   * A --job-file's env reaches every pod as --env does, but was not held to its rules: a secret
   * in the origin, the proxy or the BigQuery endpoint went into the Job's spec.
   */
  @Test
  void aJobFileEnvCarryingASecretIsRefusedAsTheSameEnvWouldBe() throws IOException {
    for (String env : List.of("PIXIV_ORIGIN: http://tok:hunter2@127.0.0.1:8080",
        "HTTPS_PROXY: http://user:hunter2@proxy:3128",
        "https_proxy: http://hunter2@proxy:3128",
        "BIGQUERY_EMULATOR_HOST: http://u:hunter2@127.0.0.1:9050")) {
      String[] kv = env.split(": ", 2);
      Path file = Files.writeString(dir.resolve("job.yaml"), """
          kind: Job
          spec:
            template:
              spec:
                containers:
                - name: scrape
                  env:
                  - name: %s
                    value: "%s"
          """.formatted(kv[0], kv[1]));
      err.getBuffer().setLength(0);

      int code = run("manifest", "--name", "j", "--image", "img:1", "--job-file",
          file.toString(), "--", "--source", "urls.txt");

      assertThat(code).as("%s: %s", env, err).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as(env).contains("--job-file's container scrape env", kv[0])
          .doesNotContain("hunter2");
      assertThat(out.toString()).isEmpty();
    }
    Path fine = Files.writeString(dir.resolve("fine.yaml"), """
        kind: Job
        spec:
          template:
            spec:
              containers:
              - name: scrape
                env:
                - name: PIXIV_ORIGIN
                  value: http://127.0.0.1:8080
                - name: HTTPS_PROXY
                  valueFrom:
                    secretKeyRef: {name: proxy, key: HTTPS_PROXY}
        """);
    assertThat(run("manifest", "--name", "j", "--image", "img:1", "--job-file", fine.toString(),
        "--", "--source", "urls.txt")).as(err.toString()).isZero();
  }

  /**
   * A value of the pods' environment that pixiv would refuse, from --env or a --job-file: the
   * message names the variable and its rule, never the value, which may be a secret (a token set
   * under the wrong name). PIXIV_LOG_FORMAT's was quoted whole.
   */
  @Test
  void aPodEnvironmentValueThatPixivWouldRefuseIsNeverShown() throws IOException {
    String secret = "ghp_Hunter2" + "x".repeat(30);
    List<List<String>> refused = List.of(
        List.of("PIXIV_LOG_FORMAT", secret, "PIXIV_LOG_FORMAT is text or json"),
        List.of("PIXIV_LOG_FORMAT", "json " + secret, "PIXIV_LOG_FORMAT is text or json"),
        List.of("PIXIV_ORIGIN", secret, "PIXIV_ORIGIN"),
        List.of("PIXIV_ORIGIN", "http://127.0.0.1:8080/?key=" + secret, "PIXIV_ORIGIN"),
        List.of("BIGQUERY_EMULATOR_HOST", secret, "BIGQUERY_EMULATOR_HOST"),
        List.of("HTTPS_PROXY", "http://proxy:3128/" + secret, "HTTPS_PROXY"));
    for (List<String> c : refused) {
      String name = c.get(0);
      String value = c.get(1);
      Path file = Files.writeString(dir.resolve("job.yaml"), """
          kind: Job
          spec:
            template:
              spec:
                containers:
                - name: scrape
                  env:
                  - name: %s
                    value: "%s"
          """.formatted(name, value));
      for (List<String> given : List.of(List.of("--env", name + "=" + value),
          List.of("--job-file", file.toString()))) {
        err.getBuffer().setLength(0);
        List<String> args = new ArrayList<>(List.of("manifest", "--name", "j", "--image",
            "img:1"));
        args.addAll(given);
        args.addAll(List.of("--", "--source", "urls.txt"));

        int code = run(args.toArray(String[]::new));

        assertThat(code).as("%s: %s", given, err).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).as(given.toString()).contains(c.get(2))
            .doesNotContain("Hunter2");
        assertThat(out.toString()).isEmpty();
      }
    }
  }

  /** One that cannot be read was shown up to what looked like its host, or whole. */
  @Test
  void anOriginThatCannotBeReadIsShownByItsSchemeAlone() {
    for (String origin : List.of("http://HUNTER2%40127.0.0.1:18501",
        "http://127.0.0.1:18501\\HUNTER2", "http://[HUNTER2]:18501", "ftp://HUNTER2")) {
      for (List<String> c : List.of(List.of("--", "--source", "urls.txt", "--origin", origin),
          List.of("--env", "PIXIV_ORIGIN=" + origin, "--", "--source", "urls.txt"))) {
        err.getBuffer().setLength(0);
        List<String> args =
            new ArrayList<>(List.of("manifest", "--name", "j", "--image", "img:1"));
        args.addAll(c);

        int code = run(args.toArray(String[]::new));

        assertThat(code).as("%s: %s", c, err).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).as("%s", c).containsAnyOf("'http://***'", "'ftp://***'")
            .doesNotContain("HUNTER2");
        assertThat(out.toString()).isEmpty();
      }
    }
  }

  /** A scraper that must run privileged or as root was merged with the launcher's context. */
  @Test
  void aJobFileWhoseScraperContradictsTheLaunchersSecurityContextExitsTwo() throws IOException {
    for (String security : List.of("privileged: true", "allowPrivilegeEscalation: true",
        "runAsUser: 0")) {
      Path file = Files.writeString(dir.resolve("job.yaml"), """
          kind: Job
          spec:
            template:
              spec:
                containers:
                - name: scrape
                  securityContext: {%s}
          """.formatted(security));
      err.getBuffer().setLength(0);
      int code = run("manifest", "--name", "j", "--image", "img:1", "--job-file", file.toString(),
          "--", "--source", "urls.txt");

      assertThat(code).as("%s: %s", security, err).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).contains("--job-file sets securityContext."
          + security.split(":")[0], "contradicts the launcher's");
    }
  }

  /**
   * One --env takes one pair: a second pair after it ({@code --env A=1 B=SECRET}) reaches the
   * scrape arguments, and their refusal quoted it, value and all.
   */
  @Test
  void aSecondPairAfterOneEnvIsRefusedWithoutItsValue() {
    int code = run("manifest", "--name", "j", "--image", "img:1", "--env", "A=1",
        "B=S3CR3T-value", "--", "--source", "urls.txt");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("B=***").doesNotContain("S3CR3T");
    assertThat(out.toString()).isEmpty();
  }

  /**
   * A pod's runAsUser 0 is refused only where the scraper runs as it: a container's own
   * non-root runAsUser wins over the pod's, and such a template is sound.
   */
  @Test
  void aPodRunAsRootIsRefusedUnlessTheScraperSetsAUserOfItsOwn() throws IOException {
    String template = """
        kind: Job
        spec:
          template:
            spec:
              securityContext: {runAsUser: 0}
              containers:
              - name: scrape
                securityContext: {%s}
        """;
    Path root = Files.writeString(dir.resolve("root.yaml"), template.formatted(""));
    Path own = Files.writeString(dir.resolve("own.yaml"), template.formatted("runAsUser: 1000"));

    int refused = run("manifest", "--name", "j", "--image", "img:1", "--job-file",
        root.toString(), "--", "--source", "urls.txt");
    assertThat(refused).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("the pod's securityContext.runAsUser: 0");
    err.getBuffer().setLength(0);
    int taken = run("manifest", "--name", "j", "--image", "img:1", "--job-file", own.toString(),
        "--", "--source", "urls.txt");
    assertThat(taken).as(err.toString()).isZero();
  }

  @Test
  void aJobFileThatIsNotOneJobOrHasFieldsNoJobHasExitsTwo() throws IOException {
    Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
    Path garbage = Files.writeString(dir.resolve("garbage.yaml"), "kind: Job\n  spec: [\n");
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "kind: Job\nspce: {}\n");
    Path bomb = Files.writeString(dir.resolve("bomb.yaml"), billionLaughs());
    Path binary = Files.write(dir.resolve("binary.yaml"), new byte[] {'k', ':', ' ', (byte) 0xff});

    // /dev/zero, named by mistake, ran the JVM out of memory (exit 1).
    for (Path file : List.of(list, garbage, typo, bomb, dir, binary, Path.of("/dev/zero"))) {
      err.getBuffer().setLength(0);
      int code = run("manifest", "--name", "j", "--image", "img:1", "--job-file", file.toString(),
          "--", "--source", "urls.txt");

      assertThat(code).as("%s: %s", file, err).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as("%s", file).contains("--job-file");
    }
  }

  @Test
  void runRefusesABadKubeconfigOrContextWithoutTouchingACluster() throws IOException {
    Path garbage = Files.writeString(dir.resolve("config"), "clusters: 7\n");
    Path good = Files.writeString(dir.resolve("good"), """
        current-context: c
        contexts: [{name: c, context: {cluster: c, user: u}}]
        clusters: [{name: c, cluster: {server: "https://u:SECRET-PW-1@127.0.0.1:1/?t=SECRET-Q-2"}}]
        users: [{name: u, user: {token: "t"}}]
        """);
    List<List<String>> cases = List.of(
        List.of("--kubeconfig", dir.resolve("missing").toString()),
        List.of("--kubeconfig", garbage.toString()),
        List.of("--kubeconfig", dir.toString()),
        List.of("--kubeconfig", "/dev/zero"),
        List.of("--kubeconfig", good.toString(), "--context", "nope"));

    for (List<String> c : cases) {
      err.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(List.of("run", "--name", "j", "--image", "img:1"));
      args.addAll(c);
      args.addAll(List.of("--", "--source", "urls.txt"));

      int code = run(args.toArray(String[]::new));

      assertThat(code).as("%s: %s", c, err).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as("%s", c).containsAnyOf("kubeconfig", "context")
          .doesNotContain("SECRET-PW-1", "SECRET-Q-2");
    }
  }

  @Test
  void aContextNamespaceThatIsNoNamespaceIsBlamedOnTheKubeconfigUnlessNamespaceIsGiven()
      throws IOException {
    Path config = Files.writeString(dir.resolve("config"), """
        current-context: c
        contexts: [{name: c, context: {cluster: c, user: u, namespace: Batch_1}}]
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: "t"}}]
        """);
    List<String> args = List.of("run", "--name", "j", "--image", "img:1", "--kubeconfig",
        config.toString(), "--api-retry-timeout", "0s");

    int code = run(concat(args, List.of("--", "--source", "urls.txt")));

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("the namespace of kubeconfig [" + config + "] context c must be a DNS-1123"
            + " label, was 'Batch_1'; fix it there or pass --namespace")
        .doesNotContain("--namespace must");

    err.getBuffer().setLength(0);
    code = run(concat(args, List.of("--namespace", "batch", "--", "--source", "urls.txt")));

    assertThat(code).as("refused connection, not the context's namespace: %s", err)
        .isEqualTo(ExitCodes.UNAVAILABLE);
  }

  /** The cluster deleted the finished Job while run read its end: exit 4 or 1, logs cut. */
  @Test
  void aTtlShorterThanTheDrainPlusAMinuteIsRefusedByRunNotByManifest() throws IOException {
    for (List<String> c : List.of(List.of("--ttl", "0s"), List.of("--ttl", "119s"),
        List.of("--ttl", "30s", "--drain-timeout", "10s"))) {
      err.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(List.of("run", "--name", "j", "--image", "img:1",
          "--kubeconfig", dir.resolve("missing").toString()));
      args.addAll(c);
      args.addAll(List.of("--", "--source", "urls.txt"));

      assertThat(run(args.toArray(String[]::new))).as("%s: %s", c, err)
          .isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as("%s", c).contains("is shorter than --drain-timeout plus a"
          + " minute").doesNotContain("kubeconfig");
    }
    err.getBuffer().setLength(0);
    assertThat(run("manifest", "--name", "j", "--image", "img:1", "--ttl", "0s", "--", "--source",
        "urls.txt")).as(err.toString()).isZero();
  }

  /** manifest showed the template's namespace; run put the Job in the kubeconfig's. */
  @Test
  void aTemplatesNamespaceIsTheJobsInRunAsInManifestUnlessNamespaceIsGiven() throws IOException {
    Path config = Files.writeString(dir.resolve("config"), """
        current-context: c
        contexts: [{name: c, context: {cluster: c, user: u, namespace: ctx-ns}}]
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: "t"}}]
        """);
    Path job = Files.writeString(dir.resolve("job.yaml"), """
        apiVersion: batch/v1
        kind: Job
        metadata: {namespace: team-a}
        """);
    List<String> args = List.of("--name", "j", "--image", "img:1", "--job-file", job.toString());
    List<String> scrape = List.of("--", "--source", "u.txt");
    List<String> run = List.of("run", "--kubeconfig", config.toString(), "--api-retry-timeout",
        "0s");

    assertThat(run(joined(List.of("manifest"), args, scrape))).isZero();
    assertThat(out.toString()).contains("namespace: team-a").doesNotContain("ctx-ns");
    assertThat(statusOf(joined(run, args, scrape))).contains("Job team-a/j")
        .doesNotContain("ctx-ns/j");
    assertThat(statusOf(joined(run, List.of("--namespace", "given"), args, scrape)))
        .contains("Job given/j");

    Files.writeString(job, "metadata: {namespace: Team_A}\n");
    err.getBuffer().setLength(0);
    assertThat(run(joined(List.of("manifest"), args, scrape))).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("the namespace of --job-file " + job
        + " must be a DNS-1123 label, was 'Team_A'");
  }

  /** What {@code run} says on the process's standard error (its status lines go there). */
  private String statusOf(String[] args) {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream status = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(status, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(run(args)).as(err.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    } finally {
      System.setErr(saved);
    }
    return status.toString(java.nio.charset.StandardCharsets.UTF_8) + err;
  }

  @SafeVarargs
  private static String[] joined(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all.toArray(String[]::new);
  }

  private static String[] concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
  }

  /** A YAML document whose aliases expand to a billion entries. */
  private static String billionLaughs() {
    StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 10; i++) {
        y.append(i == 0 ? "" : ", ").append('*').append(p);
      }
      y.append("]\n");
    }
    return y.toString();
  }

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }
}
