package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.launcher.fake.FakeKube;
import dev.pixivdic.launcher.fake.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --report} and {@code --notify} are checked at the door: a bad one is exit 2 before
 * any request reaches the cluster, and the message never quotes the webhook's URL.
 */
@Timeout(60)
class ReportOptionsTest {
  private static final String SECRET_URL = "https://hooks.example.com/services/T1/B2/s3cretXyz";
  private static TestPki pki;
  @TempDir Path dir;
  private FakeKube fake;
  private Path kubeconfig;
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  @BeforeEach
  void cluster() throws Exception {
    fake = FakeKube.start(pki);
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        current-context: c
        contexts: [{name: c, context: {cluster: c, user: u, namespace: batch}}]
        clusters: [{name: c, cluster: {server: "%s", certificate-authority-data: %s}}]
        users: [{name: u, user: {token: "t"}}]
        """.formatted(fake.url(), TestPki.base64(TestPki.pem(pki.ca))));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private int run(String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--kubeconfig", kubeconfig.toString(),
        "--name", "pixiv-1", "--image", "registry.example/pixiv:1"));
    args.addAll(List.of(more));
    args.addAll(List.of("--", "--source", "urls.txt"));
    return Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        args.toArray(String[]::new));
  }

  @Test
  void aReportPathThatCannotBeWrittenIsExit2BeforeAnyJob() throws Exception {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "not a directory");
    Path notOurs = dir.resolve("urls.txt");
    Files.writeString(notOurs, "https://dic.pixiv.net/a/x\n");

    assertThat(run("--report", dir.toString())).isEqualTo(2);
    assertThat(run("--report", file.resolve("report.json").toString())).isEqualTo(2);
    assertThat(run("--report", notOurs.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("is a directory", "is a file, where a directory",
        "is not a Job report");
    // Path.of dropped the slash: a file named as the directory meant was written.
    assertThat(run("--report", dir.resolve("out") + "/")).isEqualTo(2);
    assertThat(err.toString()).contains("so it names a directory");
    assertThat(dir.resolve("out")).doesNotExist();
    assertThat(Files.readString(notOurs, StandardCharsets.UTF_8)).startsWith("https://");
    assertThat(fake.requests()).as("no request reached the cluster").isEmpty();
  }

  /**
   * A FIFO was opened to tell whether it held a Job report: the launcher waited for a writer
   * for ever, before any Job.
   */
  /** Writing the report through it made the directory where the link leads, anywhere. */
  @Test
  void aReportThatIsALinkIntoADirectoryThatDoesNotExistIsExit2BeforeAnyJob() throws Exception {
    Path nowhere = dir.resolve("nowhere");
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.json"),
        nowhere.resolve("dir").resolve("job.json"));

    assertThat(run("--report", dangling.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("--report " + dangling + ": " + dangling
        + " is a symbolic link to nothing: it leads to "
        + dir.toRealPath().resolve("nowhere/dir/job.json") + ", in a directory that does not"
        + " exist");
    assertThat(nowhere).doesNotExist();
    assertThat(fake.requests()).as("no request reached the cluster").isEmpty();
  }

  @Test
  void aReportThatIsANamedPipeOrADeviceIsExit2BeforeAnyJob() throws Exception {
    Path fifo = dir.resolve("report.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    int onFifo = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> run("--report", fifo.toString()))
        .get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(onFifo).as(err.toString()).isEqualTo(2);
    assertThat(run("--report", "/dev/null")).isEqualTo(2);
    assertThat(err.toString()).contains("--report " + fifo + " is not a regular file (a named"
        + " pipe); name a file", "--report /dev/null is not a regular file (a device); name a"
        + " file");
    assertThat(fake.requests()).as("no request reached the cluster").isEmpty();
  }

  @Test
  void aBadWebhookIsExit2WithoutShowingItsUrl() throws Exception {
    assertThat(run("--notify", SECRET_URL.replace("https", "ftp"))).isEqualTo(2);
    assertThat(run("--notify", "env:PIXIV_NOTIFY_URL_THAT_IS_NOT_SET")).isEqualTo(2);
    assertThat(run("--notify", "file:" + dir.resolve("missing"))).isEqualTo(2);
    assertThat(run("--notify", SECRET_URL, "--notify-on", "sometimes")).isEqualTo(2);

    assertThat(err.toString()).contains("not an http(s) URL", "environment variable is not set",
        "cannot read the file", "--notify-on must be one of [failure, always]")
        .doesNotContain("s3cretXyz");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void notifyWithoutAWebhookIsExit2() {
    int code = Main.execute(new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true), "notify", "--title", "x");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--notify is required");
  }
}
