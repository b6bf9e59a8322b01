package dev.pixivdic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.parse.ArticleParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pod's memory budget, with the image's own JVM options (read from the Dockerfile) and the
 * memory limit pixiv-launch gives a pod by default: parsing the largest page accepted keeps the
 * peak resident set under 80% of the limit, so the kernel never kills the pod (exit 137).
 */
class MemoryBudgetIT {

  private static final Path DOCKERFILE = Path.of("..", "..", "Dockerfile");
  private static final Path JAR = Path.of("target", "benchmarks.jar");

  static List<String> imageJvmOptions() throws Exception {
    Matcher m = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"")
        .matcher(Files.readString(DOCKERFILE));
    assertThat(m.find()).as("the Dockerfile sets JAVA_TOOL_OPTIONS").isTrue();
    return Arrays.asList(m.group(1).trim().split("\\s+"));
  }

  static long launcherDefaultMemoryBytes() {
    String q = dev.pixivdic.launcher.Main.model().getSubcommands().get("run").getCommandSpec()
        .findOption("--memory").defaultValue();
    Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(q);
    assertThat(m.matches()).as("--memory default " + q).isTrue();
    return Long.parseLong(m.group(1)) << (m.group(2).equals("Gi") ? 30 : 20);
  }

  @Test
  void parsingTheLargestAcceptedPageStaysUnderEightyPercentOfThePodsLimit() throws Exception {
    long limit = launcherDefaultMemoryBytes();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(imageJvmOptions());
    // What the container's cgroup limit tells the JVM inside a pod.
    cmd.add("-XX:MaxRAM=" + limit);
    cmd.addAll(List.of("-cp", JAR.toString(), ParseMemory.class.getName(),
        String.valueOf(ArticleParser.MAX_BODY_BYTES >> 20)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("ARTICLE");
    Matcher hwm = Pattern.compile("VmHWM: (\\d+) kB").matcher(out);
    assertThat(hwm.find()).as(out).isTrue();
    long peak = Long.parseLong(hwm.group(1)) * 1024;
    assertThat(peak).as("peak RSS of %s against a %d MiB limit", out, limit >> 20)
        .isLessThanOrEqualTo(limit * 8 / 10);
  }
}
