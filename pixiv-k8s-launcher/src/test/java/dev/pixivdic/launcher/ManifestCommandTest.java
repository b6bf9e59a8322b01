package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pixivdic.launcher.manifest.ManifestValidation;
import dev.pixivdic.launcher.run.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void printsTheJobAsYamlThatReadsBackToTheSameJsonTree() throws Exception {
    int code =
        run(
            "manifest",
            "--name",
            "pixiv-scraping-1",
            "--image",
            "img:1",
            "--shards",
            "4",
            "--parallelism",
            "2",
            "--qps",
            "3",
            "--env",
            "FLAG=true",
            "--label",
            "n=2",
            "--",
            "--source",
            "bigquery");
    int jsonCode =
        Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "manifest");

    assertThat(code).isZero();
    assertThat(jsonCode).isEqualTo(ExitCodes.USAGE);
    JsonNode yaml = new YAMLMapper().readTree(out.toString());
    ManifestValidation.validate(yaml);
    assertThat(yaml.at("/spec/template/spec/containers/0/args").toString())
        .isEqualTo("[\"scrape\",\"--shards\",\"4\",\"--qps\",\"1.5\",\"--source\",\"bigquery\"]");
    assertThat(yaml.at("/spec/template/spec/containers/0/env/0/value").isTextual()).isTrue();
    assertThat(yaml.at("/metadata/labels/n").isTextual()).isTrue();
  }

  @Test
  void aManifestThatCannotBeWrittenExits74InsteadOfLeavingAnEmptyFileAndExiting0() {
    java.io.OutputStream full = new java.io.OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        throw new java.io.IOException("No space left on device");
      }
    };
    // As Main.main wraps System.out: a PrintStream, which swallows the error too.
    PrintWriter stdout = new PrintWriter(new java.io.PrintStream(full), true);

    int code = Main.execute(stdout, new PrintWriter(err, true), "manifest", "--name", "j",
        "--image", "img:1", "--", "--source", "bigquery");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.NOT_WRITTEN);
    assertThat(err.toString()).contains("pixiv-launch manifest: cannot write the manifest");
  }

  @Test
  void printsJsonWithDashO() throws Exception {
    int code =
        run("manifest", "--name", "j", "--image", "img:1", "-o", "json", "--", "--source", "u.txt");

    assertThat(code).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    ManifestValidation.validate(json);
    assertThat(json.at("/spec/completions").asInt()).isEqualTo(1);
  }

  @Test
  void aBadOptionExitsWithTheUsageCodeAndNamesIt() {
    int code = run("manifest", "--name", "j", "--image", "img:1", "--qps", "-1");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--qps must be > 0, was -1");
  }

  @Test
  void aJobFileTemplateGivesAValidManifest() throws Exception {
    String template =
        java.nio.file.Path.of(getClass().getResource("manifest/template.yaml").toURI()).toString();

    int code =
        run(
            "manifest",
            "--name",
            "j",
            "--image",
            "img:1",
            "--job-file",
            template,
            "-o",
            "json",
            "--",
            "--source",
            "u.txt");

    assertThat(code).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    ManifestValidation.validate(json);
    assertThat(json.at("/spec/template/spec/priorityClassName").asText()).isEqualTo("batch-low");
  }

  @Test
  void aBadQuantityIsRejectedBeforeAnythingIsSent() {
    int code = run("manifest", "--name", "j", "--image", "img:1", "--memory", "1Gb");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--memory must be a Kubernetes quantity", "'1Gb'");
  }

  @Test
  void aMissingJobFileExitsWithTheUsageCodeAndNamesIt() {
    int code =
        run(
            "manifest",
            "--name",
            "j",
            "--image",
            "img:1",
            "--job-file",
            "/nonexistent/job.yaml",
            "--",
            "--source",
            "u.txt");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("/nonexistent/job.yaml");
  }

  private record Outcome(int code, String err) {}

  /** Runs {@code manifest} for Job j with {@code scrape} after {@code --}. */
  private Outcome manifestWith(String... scrape) {
    err.getBuffer().setLength(0);
    List<String> args =
        new ArrayList<>(List.of("manifest", "--name", "j", "--image", "img:1", "--"));
    args.addAll(List.of(scrape));
    int code = run(args.toArray(String[]::new));
    return new Outcome(code, err.toString());
  }

  @Test
  void optionsTheLauncherOwnsAreRefusedAfterTheSeparatorNamingTheLauncherOption() {
    Outcome qps = manifestWith("--source", "u.txt", "--qps", "5");
    Outcome shard = manifestWith("--source", "u.txt", "--shard=1/4");

    assertThat(qps.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(qps.err()).contains("--qps cannot be given after --", "pixiv-launch --qps Q");
    assertThat(shard.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(shard.err()).contains("--shard cannot be given after --", "pixiv-launch --shards N");
    Outcome notify = manifestWith("--source", "u.txt", "--notify",
        "https://hooks.example.com/services/T/B/s3cretXyz");
    assertThat(notify.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notify.err()).contains("--notify cannot be given after --",
        "pixiv-launch run --notify WEBHOOK").doesNotContain("s3cretXyz");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aScrapeSectionThatEveryPodWouldRefuseIsRefusedBeforeAnyJobExists() {
    Outcome typo = manifestWith("--source", "u.txt", "--concurency", "4");
    Outcome help = manifestWith("--source", "u.txt", "--help");
    Outcome atFile = manifestWith("@args.txt");
    Outcome origin =
        manifestWith("--source", "u.txt", "--origin", "http://user:PASSWORD-SECRET-5@exa mple/");

    assertThat(List.of(typo, help, atFile, origin))
        .extracting(Outcome::code)
        .containsOnly(ExitCodes.USAGE);
    assertThat(typo.err())
        .contains("pixiv scrape would refuse", "every pod would exit 2", "'--concurency'");
    assertThat(help.err()).contains("exit 0 without scraping");
    assertThat(atFile.err()).contains("'@args.txt'", "@-file");
    assertThat(origin.err()).contains("--origin").doesNotContain("PASSWORD-SECRET-5");
    assertThat(out.toString()).isEmpty();
  }
  @Test
  void aProxyAfterTheSeparatorThatPixivWouldRefuseIsRefusedByPixivsOwnRules() {
    for (String proxy : List.of("socks5://proxy.corp:1080", "/var/run/proxy.sock",
        "http://[::1", "http://proxy.corp:3128/path", "https://proxy.corp:3128",
        "http://u:pw PROXY-SECRET-3@[::1", "http://proxy.corp:99999")) {
      Outcome o = manifestWith("--source", "u.txt", "--proxy", proxy);

      assertThat(o.code()).as(proxy + ": " + o.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(o.err()).as(proxy).contains("pixiv scrape would refuse", "every pod would exit 2",
          "--proxy").doesNotContain("PROXY-SECRET-3");
    }
    assertThat(manifestWith("--source", "u.txt", "--proxy", "http://proxy.corp:3128").code())
        .isZero();
    assertThat(manifestWith("--source", "u.txt", "--proxy=http://[::1]:3128").code()).isZero();
    assertThat(out.toString()).contains("http://[::1]:3128");
  }

  @Test
  void aProxyPasswordAfterTheSeparatorIsRefusedPointingToASecretAndNeverShown() {
    for (List<String> given : List.of(
        List.of("--proxy", "http://alice:PROXY-SECRET-9@proxy.corp:3128"),
        List.of("--proxy=http://alice:PROXY-SECRET-9@proxy.corp:3128"),
        List.of("--proxy", "alice:PROXY-SECRET-9@proxy.corp"),
        // pixiv takes the last of two, but both would be in the container arguments.
        List.of("--proxy", "http://alice:PROXY-SECRET-9@proxy.corp:3128", "--proxy",
            "http://proxy.corp:3128"),
        // A user alone is how many proxy services take their token.
        List.of("--proxy", "http://PROXY-SECRET-9@proxy.corp:3128"))) {
      List<String> args = new ArrayList<>(List.of("--source", "u.txt"));
      args.addAll(given);
      Outcome o = manifestWith(args.toArray(String[]::new));

      assertThat(o.code()).as(given + ": " + o.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(o.err()).contains("--proxy", "carries credentials", "Secret", "HTTPS_PROXY",
          "--env-from-secret").doesNotContain("PROXY-SECRET-9");
    }
    assertThat(out.toString()).doesNotContain("PROXY-SECRET-9");

    int code = run("manifest", "--name", "j", "--image", "img:1", "--env",
        "HTTPS_PROXY=http://alice:PROXY-SECRET-9@proxy.corp:3128", "--", "--source", "u.txt");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--env HTTPS_PROXY=http://alice:***@proxy.corp:3128",
        "carries credentials", "--env-from-secret").doesNotContain("PROXY-SECRET-9");
    assertThat(out.toString()).doesNotContain("PROXY-SECRET-9");
    err.getBuffer().setLength(0);
    code = run("manifest", "--name", "j", "--image", "img:1", "--env",
        "https_proxy=http://PROXY-SECRET-9@proxy.corp:3128", "--", "--source", "u.txt");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--env https_proxy=http://***@proxy.corp:3128",
        "carries credentials").doesNotContain("PROXY-SECRET-9");
    assertThat(out.toString()).doesNotContain("PROXY-SECRET-9");
  }

  @Test
  void aLogFormatForThePodsThatPixivWouldRefuseIsRefusedUnlessTheArgumentsReplaceIt() {
    int code = run("manifest", "--name", "j", "--image", "img:1", "--env",
        "PIXIV_LOG_FORMAT=jsno", "--", "--source", "u.txt");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--env: pixiv would refuse it and every pod would exit 2",
        "PIXIV_LOG_FORMAT is text or json, was another value (4 characters, not shown")
        .doesNotContain("jsno");

    err.getBuffer().setLength(0);
    assertThat(run("manifest", "--name", "j", "--image", "img:1", "--env",
        "PIXIV_LOG_FORMAT=jsno", "--", "--source", "u.txt", "--log-format", "json"))
        .as(err.toString()).isZero();
    assertThat(run("manifest", "--name", "j", "--image", "img:1", "--env",
        "PIXIV_LOG_FORMAT=JSON", "--", "--source", "u.txt")).as(err.toString()).isZero();
  }

  @Test
  void aMistypedScrapeOptionAfterTheSeparatorGetsPixivsHint() {
    Outcome o = manifestWith("--source", "u.txt", "--concurency", "4");

    assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(o.err()).contains("unknown option '--concurency'; did you mean --concurrency?");
  }
}
