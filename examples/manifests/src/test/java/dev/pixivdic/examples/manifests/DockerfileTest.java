package dev.pixivdic.examples.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image cannot be built in CI without a Docker engine, so its promises are checked
 * statically: JRE 17, a fixed non-root user, the entrypoint, container-aware memory,
 * and images tagged by commit.
 */
class DockerfileTest {

  /** One instruction with its continuation lines joined. */
  record Instruction(String keyword, String args) {}

  static Map<String, List<Instruction>> stages() {
    Map<String, List<Instruction>> stages = new LinkedHashMap<>();
    List<Instruction> current = null;
    StringBuilder pending = new StringBuilder();
    for (String line : RepoFiles.read("Dockerfile").split("\n", -1)) {
      String t = line.strip();
      if (pending.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.startsWith("#")) {
        continue;
      }
      if (t.endsWith("\\")) {
        pending.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      pending.append(t);
      String full = pending.toString().strip();
      pending.setLength(0);
      int sp = full.indexOf(' ');
      String keyword = full.substring(0, sp).toUpperCase(java.util.Locale.ROOT);
      String args = full.substring(sp + 1).strip();
      if (keyword.equals("FROM")) {
        Matcher m = Pattern.compile("(\\S+)\\s+AS\\s+(\\S+)", Pattern.CASE_INSENSITIVE)
            .matcher(args);
        assertThat(m.matches()).as("every stage is named: FROM " + args).isTrue();
        current = new ArrayList<>();
        stages.put(m.group(2), current);
      }
      assertThat(current).as("instruction before the first FROM: " + full).isNotNull();
      current.add(new Instruction(keyword, args));
    }
    return stages;
  }

  static List<String> args(String stage, String keyword) {
    return stages().get(stage).stream().filter(i -> i.keyword().equals(keyword))
        .map(Instruction::args).toList();
  }

  /** The numeric uid the runnable images run as. */
  static int imageUid() {
    List<String> users = args("pixiv", "USER");
    assertThat(users).hasSize(1);
    return Integer.parseInt(users.get(0).split(":")[0]);
  }

  @Test
  void buildsWithMavenOnJdk17AndRunsOnAJre17() {
    Map<String, List<Instruction>> stages = stages();
    assertThat(stages).containsKeys("build", "runtime", "launcher", "pixiv");
    assertThat(stages.get("build").get(0).args()).startsWith("maven:3.9-eclipse-temurin-17 ");
    assertThat(stages.get("runtime").get(0).args()).startsWith("eclipse-temurin:17-jre ");
    assertThat(stages.get("pixiv").get(0).args()).startsWith("runtime ");
    assertThat(stages.get("launcher").get(0).args()).startsWith("runtime ");
    assertThat(List.copyOf(stages.keySet())).last().as("a plain docker build makes the scraper")
        .isEqualTo("pixiv");
    assertThat(args("build", "RUN")).anySatisfy(r -> assertThat(r)
        .contains("mvn -B").contains("-pl pixiv-cli,pixiv-k8s-launcher -am").contains("package"));
  }

  @Test
  void theBuildWithoutGitStillNamesTheCommitCloudBuildGives() {
    assertThat(args("build", "ARG")).contains("COMMIT_SHA=unknown");
    assertThat(args("build", "RUN")).anySatisfy(r -> assertThat(r)
        .contains("-Dgit.commit.id=\"${COMMIT_SHA}\""));
  }

  @Test
  void everyBaseImageIsPinnedToAVersionTag() {
    stages().values().forEach(s -> {
      String image = s.get(0).args().split("\\s+")[0];
      if (!stages().containsKey(image)) {
        assertThat(image).as("base image").contains(":").doesNotEndWith(":latest");
      }
    });
  }

  @Test
  void bothImagesRunAsAFixedNonRootNumericUser() {
    for (String stage : List.of("pixiv", "launcher")) {
      List<String> users = args(stage, "USER");
      assertThat(users).as(stage + " sets USER once").hasSize(1);
      assertThat(users.get(0)).as(stage + " USER is numeric uid:gid").matches("[0-9]+:[0-9]+");
      assertThat(Integer.parseInt(users.get(0).split(":")[0])).as(stage + " uid").isEqualTo(10001);
    }
    assertThat(args("runtime", "RUN")).anySatisfy(r -> assertThat(r).contains("--uid 10001"));
  }

  @Test
  void theScraperImageRunsThePixivJarAsPid1() {
    assertThat(args("pixiv", "ENTRYPOINT")).containsExactly("[\"java\", "
        + "\"-XX:SharedArchiveFile=/app/pixiv.jsa\", \"-Xlog:disable\", "
        + "\"-Xlog:all=warning:stderr\", \"-jar\", \"/app/pixiv.jar\"]");
    assertThat(args("pixiv", "COPY")).anySatisfy(c -> assertThat(c).endsWith("/app/pixiv.jar"));
    assertThat(args("launcher", "COPY"))
        .anySatisfy(c -> assertThat(c).endsWith("/app/pixiv-launch.jar"));
    assertThat(args("launcher", "COPY"))
        .anySatisfy(c -> assertThat(c).endsWith("/usr/local/bin/pixiv-launch"));
  }

  /**
   * The archive is made in the stage that runs it (its JVM and options, the jar at its path), as
   * root before USER, by the script ClassDataArchiveIT runs; the wrapper uses it as the entrypoint
   * does.
   */
  @Test
  void theScraperImageMakesItsClassDataArchiveWithItsOwnJvmAndUsesIt() {
    List<Instruction> pixiv = stages().get("pixiv");
    List<String> keywords = pixiv.stream().map(Instruction::keyword).toList();
    int made = -1;
    for (int i = 0; i < pixiv.size(); i++) {
      if (pixiv.get(i).keyword().equals("RUN")) {
        assertThat(pixiv.get(i).args())
            .isEqualTo("/usr/local/lib/pixiv/class-data.sh /app/pixiv.jar /app/pixiv.jsa");
        made = i;
      }
    }
    assertThat(made).as("the pixiv stage runs class-data.sh")
        .isGreaterThan(keywords.indexOf("COPY")).isLessThan(keywords.indexOf("USER"));
    assertThat(args("pixiv", "COPY")).contains(
        "--from=build /out/class-data.sh /usr/local/lib/pixiv/class-data.sh");
    assertThat(args("build", "RUN")).anySatisfy(r -> assertThat(r)
        .contains("cp examples/image/class-data.sh /out/class-data.sh"));
    assertThat(RepoFiles.read("examples/image/pixiv.sh"))
        .contains("-XX:SharedArchiveFile=/app/pixiv.jsa -Xlog:disable -Xlog:all=warning:stderr");
  }

  @Test
  void theJvmFollowsTheContainerLimitsAndWritesOnlyUnderTmp() {
    String env = String.join(" ", args("runtime", "ENV"));
    assertThat(env).contains("-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError",
        "-Djava.io.tmpdir=/tmp", "PIXIV_LOG_FORMAT=json");
    assertThat(args("runtime", "WORKDIR")).containsExactly("/tmp");
  }

  @Test
  void theFilesTheImageCopiesExistAndTheContextLeavesOutBuildOutput() throws IOException {
    assertThat(RepoFiles.path("examples/image/pixiv.sh")).isRegularFile();
    assertThat(RepoFiles.path("examples/image/pixiv-launch.sh")).isRegularFile();
    assertThat(Files.isExecutable(RepoFiles.path("examples/image/pixiv.sh"))).isTrue();
    assertThat(Files.isExecutable(RepoFiles.path("examples/image/class-data.sh"))).isTrue();
    assertThat(RepoFiles.read("examples/image/pixiv.sh")).contains("exec java")
        .contains("/app/pixiv.jar");
    assertThat(RepoFiles.read("examples/image/pixiv-launch.sh")).contains("exec java")
        .contains("/app/pixiv-launch.jar");
    assertThat(RepoFiles.read(".dockerignore").lines()).contains(".git", "**/target/");
  }

  @Test
  void cloudBuildTestsFirstThenPushesBothImagesTaggedWithTheCommit() {
    String text = RepoFiles.read("cloudbuild.yaml");
    assertThat(text).doesNotContain(":latest");
    JsonNode build = RepoFiles.yamlDocuments(RepoFiles.path("cloudbuild.yaml")).get(0);
    JsonNode steps = build.path("steps");
    assertThat(steps.get(0).path("args").toString()).contains("verify");
    List<String> tags = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (JsonNode step : steps) {
      if (!step.path("name").asText().contains("docker")) {
        continue;
      }
      assertThat(step.path("waitFor").toString()).as("images wait for the tests")
          .isNotEqualTo("\"\"").isNotEmpty();
      for (JsonNode a : step.path("args")) {
        String arg = a.asText();
        if (arg.startsWith("--tag=")) {
          tags.add(arg.substring("--tag=".length()));
        }
        if (arg.startsWith("--target=")) {
          targets.add(arg.substring("--target=".length()));
        }
      }
    }
    assertThat(targets).containsExactlyInAnyOrder("pixiv", "launcher");
    assertThat(stages()).containsKeys(targets.toArray(String[]::new));
    List<String> images = new ArrayList<>();
    build.path("images").forEach(i -> images.add(i.asText()));
    assertThat(images).containsExactlyInAnyOrderElementsOf(tags);
    assertThat(images).hasSize(2).allSatisfy(i -> assertThat(i).endsWith(":$COMMIT_SHA"));
  }
}
