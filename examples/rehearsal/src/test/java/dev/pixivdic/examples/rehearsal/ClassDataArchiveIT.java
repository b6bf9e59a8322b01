package dev.pixivdic.examples.rehearsal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's class-data archive, made as the Dockerfile makes it: {@code class-data.sh} run by
 * {@code /bin/sh} with the image's JVM options on the built jar, then the image's entrypoint
 * (read from the Dockerfile, {@code /app} moved to a directory of the test) running a pod's
 * BigQuery scrape and a {@code parse}. The classes come from the archive; a jar the archive was
 * not made for still runs, and the JVM's warnings never reach standard output.
 */
@Timeout(300)
class ClassDataArchiveIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Rehearsal.repositoryRoot();

  @TempDir static Path app;
  private static Path archive;

  @BeforeAll
  static void makeTheArchiveAsTheImageDoes() throws Exception {
    Files.copy(ROOT.resolve("pixiv-cli/target/pixiv.jar"), app.resolve("pixiv.jar"));
    archive = app.resolve("pixiv.jsa");
    Run made = run(List.of("/bin/sh", ROOT.resolve("examples/image/class-data.sh").toString(),
        app.resolve("pixiv.jar").toString(), archive.toString()));
    assertThat(made.code()).as(made.err()).isZero();
    assertThat(archive).isRegularFile();
  }

  @Test
  void aPodsBigQueryScrapeLoadsItsClassesFromTheArchive() throws Exception {
    Path classes = app.resolve("classes.log");
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    List<String> cmd = entrypoint("-Xlog:class+load=info:file=" + classes);
    cmd.addAll(List.of("scrape", "--source", "bq:pod-project.pixiv.source", "--sink",
        "bq:pod-project.pixiv.details", "--bigquery-endpoint", "http://127.0.0.1:" + closed,
        "--bigquery-attempts", "1"));

    Run r = run(cmd);

    assertThat(r.code()).as(r.err()).isEqualTo(69);
    List<String> loaded = Files.readAllLines(classes);
    assertThat(loaded).anySatisfy(l -> assertThat(l)
        .contains("dev.pixivdic.cli.Main source: shared objects file"));
    assertThat(loaded).anySatisfy(l -> assertThat(l)
        .contains("com.google.cloud.bigquery.BigQueryOptions source: shared objects file"));
    long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
    // picocli's classes are too old a class file version to be archived; nearly all else is.
    assertThat(shared).as("classes from the archive").isGreaterThan(loaded.size() * 8L / 10);
  }

  @Test
  void parseWritesOnlyItsRowToStandardOutputWithTheArchiveAndWithAJarItWasNotMadeFor()
      throws Exception {
    Path page = ROOT.resolve("pixiv-core/src/test/resources/corpus/article/current-dom-full.html");
    List<String> cmd = entrypoint();
    cmd.addAll(List.of("parse", page.toString(), "--url", "https://dic.pixiv.net/a/x"));

    Run fits = run(cmd);
    Path jar = app.resolve("pixiv.jar");
    FileTime made = Files.getLastModifiedTime(jar);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(made.toMillis() + 60_000));
    Run stale;
    try {
      stale = run(cmd);
    } finally {
      Files.setLastModifiedTime(jar, made);
    }

    for (Run r : List.of(fits, stale)) {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().lines()).hasSize(1);
      JsonNode row = JSON.readTree(r.out());
      assertThat(row.path("outcome").asText()).isEqualTo("ARTICLE");
    }
    assertThat(stale.out()).isEqualTo(fits.out());
  }

  /** The image's JVM options (the runtime stage's JAVA_TOOL_OPTIONS). */
  private static String imageJvmOptions() throws IOException {
    Matcher m = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"")
        .matcher(Files.readString(ROOT.resolve("Dockerfile")));
    assertThat(m.find()).as("the Dockerfile sets JAVA_TOOL_OPTIONS").isTrue();
    return m.group(1);
  }

  /** The pixiv stage's entrypoint, with {@code more} JVM options before {@code -jar}. */
  private static List<String> entrypoint(String... more) throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    Matcher m = Pattern.compile("(?m)^ENTRYPOINT (\\[.*\\])$").matcher(dockerfile);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    assertThat(last).as("the pixiv stage's ENTRYPOINT").isNotNull();
    List<String> cmd = new ArrayList<>();
    for (JsonNode a : JSON.readTree(last)) {
      String arg = a.asText().replace("/app/", app + "/");
      if (arg.equals("-jar")) {
        cmd.addAll(Arrays.asList(more));
      }
      cmd.add(arg.equals("java") ? Path.of(System.getProperty("java.home"), "bin", "java")
          .toString() : arg);
    }
    return cmd;
  }

  private record Run(int code, String out, String err) {}

  private static Run run(List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(app.toFile());
    Map<String, String> env = pb.environment();
    env.put("JAVA_TOOL_OPTIONS", imageJvmOptions().replace("/tmp", app.toString()));
    env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.get("PATH"));
    Path out = Files.createTempFile(app, "out", ".txt");
    Path err = Files.createTempFile(app, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(4, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("still running: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
  }
}
