package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.fetch.LoopbackProxy;
import dev.pixivdic.launcher.fake.FakeKube;
import dev.pixivdic.launcher.fake.PodLog;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.Streams;
import dev.pixivdic.launcher.fake.TestPki;
import dev.pixivdic.launcher.manifest.ManifestValidation;
import dev.pixivdic.support.testing.WatchedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded {@code pixiv-launch.jar} as a real process against the fake API server. */
class LaunchJarIT {
  private static final Path JAR = Path.of("target", "pixiv-launch.jar");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOBS = "^/apis/batch/v1/namespaces/batch/jobs";
  @TempDir Path dir;
  private FakeKube fake;
  private Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    TestPki pki = new TestPki();
    fake = FakeKube.start(pki);
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        current-context: c
        contexts: [{name: c, context: {cluster: c, user: u, namespace: batch}}]
        clusters: [{name: c, cluster: {server: "%s", certificate-authority-data: %s}}]
        users: [{name: u, user: {token: t}}]
        """
            .formatted(fake.url(), TestPki.base64(TestPki.pem(pki.ca))));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void theJarCarriesNoCloudOrKubernetesClientClasses() throws IOException {
    List<String> offending = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("dev.pixivdic.launcher.Main");
      jar.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("com/google/cloud/") || n.startsWith("io/kubernetes/")
              || n.startsWith("io/fabric8/") || n.startsWith("okhttp3/"))
          .forEach(offending::add);
      assertThat(jar.getEntry("picocli/CommandLine.class")).isNotNull();
    }
    assertThat(offending).isEmpty();
  }

  private Process launch(String... extra) throws IOException {
    return launch(java.util.Map.of(), extra);
  }

  private Process launch(java.util.Map<String, String> env, String... extra) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "run",
                "--kubeconfig",
                kubeconfig.toString(),
                "--name",
                "pixiv-scraping-1",
                "--image",
                "img:1"));
    cmd.addAll(List.of(extra));
    if (!cmd.contains("--")) {
      cmd.addAll(List.of("--", "--source", "urls.txt"));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
    pb.environment().remove("KUBECONFIG");
    for (String proxyVariable : List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY",
        "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")) {
      pb.environment().remove(proxyVariable);
    }
    pb.environment().putAll(env);
    return pb.start();
  }

  private ObjectNode scriptJob() {
    ObjectNode job = scriptJobWithoutDelete();
    ObjectNode empty = JSON.createObjectNode();
    empty.putObject("metadata").put("resourceVersion", "5");
    fake.on(
        "DELETE",
        JOBS + "/pixiv-scraping-1\\?propagationPolicy=Background$",
        Responses.json(200, empty));
    return job;
  }

  /** Scripts the create, the Job's list and the pods' lists. */
  private ObjectNode scriptJobWithoutDelete() {
    ObjectNode job = JSON.createObjectNode();
    job.put("apiVersion", "batch/v1").put("kind", "Job");
    job.putObject("metadata")
        .put("name", "pixiv-scraping-1")
        .put("uid", "u-1")
        .put("resourceVersion", "5");
    fake.on("POST", JOBS + "\\?fieldValidation=Strict$", Responses.json(201, job));
    ObjectNode list = JSON.createObjectNode();
    list.putObject("metadata").put("resourceVersion", "5");
    list.putArray("items").add(job);
    fake.on("GET", JOBS + "\\?fieldSelector=[^&]*$", Responses.json(200, list));
    ObjectNode empty = JSON.createObjectNode();
    empty.putObject("metadata").put("resourceVersion", "5");
    empty.putArray("items");
    fake.always(
        "GET", "^/api/v1/namespaces/batch/pods\\?labelSelector=[^&]*$", Responses.json(200, empty));
    return job;
  }

  /** Launches a run of a created Job whose watches stay open; returns once both are open. */
  private Process launchWatching(String... extra) throws Exception {
    scriptJob();
    Streams.Stream jobs = fake.newStream();
    Streams.Stream pods = fake.newStream();
    fake.on("GET", JOBS + "\\?fieldSelector=.*watch=true", Responses.stream(jobs));
    fake.on("GET", "^/api/v1/namespaces/batch/pods\\?.*watch=true", Responses.stream(pods));
    Process p = launch(extra);
    jobs.awaitOpened();
    pods.awaitOpened();
    return p;
  }

  @Test
  void sigtermDeletesTheJobOnceAndExitsWith143() throws Exception {
    Process p = launchWatching("--report", dir.resolve("report.json").toString());

    p.destroy(); // SIGTERM

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(fake.requests()).filteredOn(r -> r.method().equals("DELETE")).hasSize(1);
    String err = Files.readString(dir.resolve("stderr"));
    assertThat(err)
        .as("the report of what it saw, before the JVM exits on the signal, after the deletion")
        .containsSubsequence("deleted Job batch/pixiv-scraping-1",
            "pixiv-launch: Job report batch/pixiv-scraping-1: 0 of ");
    assertThat(JSON.readTree(dir.resolve("report.json").toFile()).path("verdict").toString())
        .isEqualTo("[\"interrupted by SIGTERM (exit 143): deleted Job batch/pixiv-scraping-1\"]");
  }

  /** The Job with its one index succeeded and the {@code Complete} condition. */
  private static ObjectNode completed(ObjectNode job) {
    ObjectNode done = job.deepCopy();
    done.putObject("status").put("succeeded", 1).putArray("conditions").addObject()
        .put("type", "Complete").put("status", "True");
    return done;
  }

  /** What a webhook does with a notice's body before it answers 200. */
  private interface Meanwhile {
    void accept(String body) throws InterruptedException;
  }

  /** A webhook on loopback, at the path /hook. */
  private static com.sun.net.httpserver.HttpServer webhook(Meanwhile meanwhile)
      throws IOException {
    com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", ex -> {
      try {
        meanwhile.accept(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    hook.start();
    return hook;
  }

  /** A signal while the notice was posted ended the process with a bare 143. */
  @Test
  void sigtermWhileTheNoticeIsPostedSaysTheRunHadEnded() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    com.sun.net.httpserver.HttpServer hook = webhook(body -> {
      arrived.countDown();
      release.await(30, TimeUnit.SECONDS); // a webhook that does not answer
    });
    try {
      ObjectNode job = scriptJob();
      Streams.Stream jobs = fake.newStream();
      fake.on("GET", JOBS + "\\?fieldSelector=.*watch=true", Responses.stream(jobs));
      fake.on("GET", "^/api/v1/namespaces/batch/pods\\?.*watch=true",
          Responses.stream(fake.newStream()));
      Process p = launch("--notify", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
          "--notify-on", "always");
      jobs.awaitOpened();
      jobs.event("MODIFIED", completed(job));
      assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();

      p.destroy(); // SIGTERM

      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
      assertThat(Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8)).contains(
          "pixiv-launch: interrupted by SIGTERM (exit 143) while writing the Job report or"
              + " posting the notice, which may not be out; the run had already ended: exit 0"
              + " (Job batch/pixiv-scraping-1 succeeded");
    } finally {
      release.countDown();
      hook.stop(0);
    }
  }

  /**
   * The JVM exits once its shutdown hooks return: the hook that deletes the Job on SIGTERM waited
   * for nothing else, so the report and a notice still on their way were cut off. A webhook that
   * holds its answer shows it: the launcher is still there while the answer is held, and says
   * the notice was sent once it comes.
   */
  @Test
  void sigtermStillPrintsTheJobReportAndPostsTheNotice() throws Exception {
    List<String> posted = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    com.sun.net.httpserver.HttpServer hook = webhook(body -> {
      posted.add(body);
      arrived.countDown();
      answer.await(30, TimeUnit.SECONDS); // a webhook that holds its answer until released
    });
    try {
      Process p = launchWatching("--notify",
          "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");

      p.destroy(); // SIGTERM

      assertThat(arrived.await(30, TimeUnit.SECONDS)).as("the notice is posted").isTrue();
      // Only time shows that the launcher waits for the held answer rather than exiting: a
      // second, well inside the five seconds it waits for the notice (RunCommand.REPORT_BOUND).
      assertThat(p.waitFor(1, TimeUnit.SECONDS))
          .as("the launcher exited while its notice was unanswered").isFalse();
      answer.countDown();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
      String err = Files.readString(dir.resolve("stderr"));
      assertThat(err).contains("pixiv-launch: Job report batch/pixiv-scraping-1: 0 of ")
          .contains("notice sent to http://127.0.0.1:");
      assertThat(posted).singleElement().asString().contains("exit 143");
    } finally {
      answer.countDown();
      hook.stop(0);
    }
  }

  @Test
  void afterSigkillTheJobOutlivesTheLauncherAndALaunchWithTheSameNameReattaches()
      throws Exception {
    scriptJobWithoutDelete();
    Streams.Stream jobs = fake.newStream();
    Streams.Stream pods = fake.newStream();
    fake.on("GET", JOBS + "\\?fieldSelector=.*watch=true", Responses.stream(jobs));
    fake.on("GET", "^/api/v1/namespaces/batch/pods\\?.*watch=true", Responses.stream(pods));
    Process killed = launch();
    jobs.awaitOpened();
    pods.awaitOpened();

    killed.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(killed.exitValue()).isEqualTo(137);
    assertThat(fake.requests()).filteredOn(r -> r.method().equals("DELETE")).isEmpty();

    // The Job as the API server stored it; a retry of the launch (a Digdag retry) finds it.
    ObjectNode stored = (ObjectNode) JSON.readTree(fake.requests().stream()
        .filter(r -> r.method().equals("POST")).findFirst().orElseThrow().body());
    ((ObjectNode) stored.get("metadata")).put("uid", "u-1").put("resourceVersion", "5");
    fake.on("POST", JOBS + "\\?fieldValidation=Strict$",
        Responses.status(409, "AlreadyExists", "jobs.batch \"pixiv-scraping-1\" already exists"));
    fake.always("GET", JOBS + "/pixiv-scraping-1$", Responses.json(200, stored));
    ObjectNode list = JSON.createObjectNode();
    list.putObject("metadata").put("resourceVersion", "5");
    list.putArray("items").add(stored);
    fake.on("GET", JOBS + "\\?fieldSelector=[^&]*$", Responses.json(200, list));
    Streams.Stream jobs2 = fake.newStream();
    fake.on("GET", JOBS + "\\?fieldSelector=.*watch=true", Responses.stream(jobs2));
    fake.on("GET", "^/api/v1/namespaces/batch/pods\\?.*watch=true",
        Responses.stream(fake.newStream()));
    ObjectNode empty = JSON.createObjectNode();
    empty.putObject("metadata").put("resourceVersion", "6");
    fake.on("DELETE", JOBS + "/pixiv-scraping-1\\?propagationPolicy=Background$",
        Responses.json(200, empty));
    Process retry = launch();
    ObjectNode done = stored.deepCopy();
    done.putObject("status").put("succeeded", 1).putArray("conditions").addObject()
        .put("type", "Complete").put("status", "True");
    jobs2.awaitOpened().event("MODIFIED", done);

    assertThat(retry.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(retry.exitValue()).as(Files.readString(dir.resolve("stderr"))).isZero();
    assertThat(Files.readString(dir.resolve("stderr"))).contains("re-attached to existing Job");
    assertThat(fake.requests()).filteredOn(r -> r.method().equals("POST")).hasSize(2);
    assertThat(fake.requests()).filteredOn(r -> r.method().equals("DELETE")).hasSize(1);
  }

  @Test
  void sigintDeletesTheJobAndExitsWith130() throws Exception {
    Process p = launchWatching();

    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(130);
    assertThat(fake.requests()).filteredOn(r -> r.method().equals("DELETE")).hasSize(1);
    assertThat(Files.readString(dir.resolve("stderr")))
        .as("the log and the report say the code the process ends with, not SIGTERM's")
        .contains("interrupted (exit 130): removing Job batch/pixiv-scraping-1")
        .contains("pixiv-launch: Job report batch/pixiv-scraping-1: 0 of ")
        .doesNotContain("exit 143");
  }

  @Test
  void versionNamesTheReleaseAndTheCommitOfTheJarsManifest() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", JAR.toString(), "--version")
        .redirectOutput(dir.resolve("stdout").toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).isZero();
    String commit;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      commit = jar.getManifest().getMainAttributes().getValue("Implementation-Commit");
    }
    assertThat(commit).matches("[0-9a-f]{40}|unknown");
    assertThat(Files.readString(dir.resolve("stdout")))
        .startsWith("pixiv-launch " + jarVersion() + " (commit " + commit + ")\n");
  }

  private static String jarVersion() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }

  @Test
  void theEnvironmentSetsTheLogFormatAndLevelWhenNoOptionDoes() throws Exception {
    // The query string makes the kubeconfig loader warn; the proxy-url makes run log (info)
    // the proxy it goes through. Nothing listens on port 1: the launch ends 69 at once.
    Path config = dir.resolve("kubeconfig-env");
    Files.writeString(config, """
        current-context: c
        contexts: [{name: c, context: {cluster: c}}]
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1/?x=1",
          proxy-url: "http://127.0.0.1:1"}}]
        """);
    Process p = launch(java.util.Map.of("PIXIV_LOG_FORMAT", "json",
        "PIXIV_LAUNCH_LOG_LEVEL", "WARN"), "--kubeconfig", config.toString(),
        "--api-retry-timeout", "0s");

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stderr).isEqualTo(69);
    String warning = stderr.lines().filter(l -> l.contains("query string")).findFirst()
        .orElseThrow(() -> new AssertionError(stderr));
    assertThat(JSON.readTree(warning).path("severity").asText()).isEqualTo("WARNING");
    assertThat(stderr).doesNotContain("through the proxy");
  }

  /**
   * The JDK drops Basic credentials from CONNECT requests unless a property is cleared before
   * its HTTP client is first used; only a process of its own shows that the launcher does so.
   */
  @Test
  void aRunGoesThroughAProxyThatWantsBasicCredentialsWithoutShowingThem() throws Exception {
    try (LoopbackProxy proxy = LoopbackProxy.withCredentials("ops", "hunter2-proxy")) {
      ObjectNode job = scriptJob();
      Streams.Stream jobs = fake.newStream();
      Streams.Stream pods = fake.newStream();
      fake.on("GET", JOBS + "\\?fieldSelector=.*watch=true", Responses.stream(jobs));
      fake.on("GET", "^/api/v1/namespaces/batch/pods\\?.*watch=true", Responses.stream(pods));
      Process p = launch(java.util.Map.of("HTTPS_PROXY",
          "http://ops:hunter2-proxy@127.0.0.1:" + proxy.port()), "--api-retry-timeout", "0s");
      jobs.awaitOpened();
      jobs.event("MODIFIED", completed(job));

      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String stderr = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(stderr).isZero();
      assertThat(proxy.seen()).as("every tunnel authorized at once").isNotEmpty()
          .allSatisfy(s -> assertThat(s.authorized()).isTrue())
          .allSatisfy(s -> assertThat(s.target()).isEqualTo("127.0.0.1:" + fake.port()));
      assertThat(fake.requests()).filteredOn(r -> r.method().equals("POST")).hasSize(1);
      assertThat(stderr).contains("through the proxy http://***@127.0.0.1:" + proxy.port())
          .doesNotContain("hunter2");
    }
  }

  @Test
  void aSuccessfulRunPrintsPodLinesOnStdoutAndExitsZero() throws Exception {
    ObjectNode job = scriptJob();
    Streams.Stream jobs = fake.newStream();
    Streams.Stream pods = fake.newStream();
    fake.on("GET", JOBS + "\\?fieldSelector=.*watch=true", Responses.stream(jobs));
    fake.on("GET", "^/api/v1/namespaces/batch/pods\\?.*watch=true", Responses.stream(pods));
    PodLog log = new PodLog().line(Instant.parse("2026-01-01T00:00:01Z"), "scraped 42 articles");
    log.finish();
    fake.always("GET", "^/api/v1/namespaces/batch/pods/p0/log\\?", log);
    Process p = launch("--shards", "1", "--", "--source", "bigquery");
    pods.awaitOpened();
    ObjectNode pod = JSON.createObjectNode();
    ObjectNode podMeta = pod.putObject("metadata").put("name", "p0").put("resourceVersion", "6");
    podMeta.putObject("annotations").put("batch.kubernetes.io/job-completion-index", "0");
    // What the Job controller puts on its pods: the Job's uid in labels and as controlling owner.
    podMeta.putObject("labels").put("batch.kubernetes.io/controller-uid", "u-1")
        .put("controller-uid", "u-1").put("batch.kubernetes.io/job-name", "pixiv-scraping-1")
        .put("job-name", "pixiv-scraping-1");
    podMeta.putArray("ownerReferences").addObject().put("apiVersion", "batch/v1")
        .put("kind", "Job").put("name", "pixiv-scraping-1").put("uid", "u-1")
        .put("controller", true).put("blockOwnerDeletion", true);
    ObjectNode status = pod.putObject("status").put("phase", "Succeeded");
    status.putArray("containerStatuses").addObject().put("name", "scrape")
        .putObject("state").putObject("terminated").put("exitCode", 0).put("reason", "Completed");
    pods.event("ADDED", pod);
    ObjectNode done = job.deepCopy();
    done.putObject("status").put("succeeded", 1).putArray("conditions").addObject()
        .put("type", "Complete").put("status", "True");
    jobs.awaitOpened();
    fake.awaitRequest("GET", "/pods/p0/log");
    jobs.event("MODIFIED", done);

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8))
        .isEqualTo("[0/p0] scraped 42 articles\n");
    String created =
        fake.requests().stream()
            .filter(r -> r.method().equals("POST"))
            .findFirst()
            .orElseThrow()
            .body();
    ManifestValidation.validate(JSON.readTree(created));
    assertThat(JSON.readTree(created).at("/spec/template/spec/containers/0/args").toString())
        .isEqualTo("[\"scrape\",\"--shards\",\"1\",\"--qps\",\"0.2\",\"--source\",\"bigquery\"]");
    assertThat(JSON.readTree(created).at("/metadata/namespace").asText()).isEqualTo("batch");
  }

  /** Waits (up to 30 s) until the launcher's stderr holds {@code text}. */
  private void awaitStderr(String text) throws IOException, InterruptedException {
    WatchedFile.awaitContaining(dir.resolve("stderr"), text, Duration.ofSeconds(30));
  }

  @Test
  void sigtermWhileTheCreateRequestIsInFlightDeletesTheJobOnceItIsAnswered() throws Exception {
    ObjectNode job = JSON.createObjectNode();
    job.put("apiVersion", "batch/v1").put("kind", "Job");
    job.putObject("metadata")
        .put("name", "pixiv-scraping-1")
        .put("uid", "u-7")
        .put("resourceVersion", "5");
    CountDownLatch release = new CountDownLatch(1);
    fake.on("POST", JOBS + "\\?fieldValidation=Strict$",
        Responses.held(release, Responses.json(201, job)));
    fake.on(
        "DELETE",
        JOBS + "/pixiv-scraping-1\\?propagationPolicy=Background$",
        Responses.json(200, job));
    Process p = launch();
    fake.awaitRequest("POST", "/jobs");

    p.destroy(); // SIGTERM while the create is unanswered
    // The signal's handling has begun, and waits for the create in flight, before it is answered.
    awaitStderr("interrupted (exit 143): Job batch/pixiv-scraping-1 is not known to exist");
    release.countDown();

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(fake.requests())
        .filteredOn(r -> r.method().equals("DELETE"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(JSON.readTree(r.body()).at("/preconditions/uid").asText())
                    .isEqualTo("u-7"));
    assertThat(Files.readString(dir.resolve("stderr")))
        .contains("deleted Job batch/pixiv-scraping-1");
  }

  @Test
  void sigtermWhileTheDeleteIsInFlightWaitsForItsAnswer() throws Exception {
    ObjectNode job = scriptJobWithoutDelete();
    CountDownLatch release = new CountDownLatch(1);
    fake.on("DELETE", JOBS + "/pixiv-scraping-1\\?propagationPolicy=Background$",
        Responses.held(release, Responses.json(200, job)));
    Streams.Stream jobs = fake.newStream();
    fake.on("GET", JOBS + "\\?fieldSelector=.*watch=true", Responses.stream(jobs));
    fake.on(
        "GET", "^/api/v1/namespaces/batch/pods\\?.*watch=true", Responses.stream(fake.newStream()));
    Process p = launch();
    ObjectNode done = job.deepCopy();
    done.putObject("status")
        .putArray("conditions")
        .addObject()
        .put("type", "Complete")
        .put("status", "True");
    jobs.awaitOpened().event("MODIFIED", done);
    fake.awaitRequest("DELETE", "/jobs/pixiv-scraping-1");

    p.destroy(); // SIGTERM while the DELETE is unanswered
    boolean exitedEarly = p.waitFor(500, TimeUnit.MILLISECONDS);
    release.countDown();

    assertThat(exitedEarly).as("the launcher waits for the DELETE in flight").isFalse();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(Files.readString(dir.resolve("stderr")))
        .contains("deleted Job batch/pixiv-scraping-1");
  }

  @Test
  void anUnreachableApiServerExitsWithTheRetryableCodeNamingTheServerAndTheCause()
      throws Exception {
    int port;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Files.writeString(kubeconfig, Files.readString(kubeconfig).replace(fake.url().toString(),
        "https://127.0.0.1:" + port));

    Process p = launch("--api-retry-timeout", "1s");

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(69);
    assertThat(Files.readString(dir.resolve("stderr")))
        .contains(
            "no answer from the API server https://127.0.0.1:" + port + ": connection refused")
        .doesNotContain("null");
  }

  @Test
  void anApiRetryTimeoutBeyondAWeekIsAUsageErrorNotACrash() throws Exception {
    Process p = launch("--api-retry-timeout", "999999999h");

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("stderr")))
        .contains("--api-retry-timeout", "from 0s to 1d");
    assertThat(fake.requests()).isEmpty();
  }
}
