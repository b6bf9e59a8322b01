package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.fake.FakeKube;
import dev.pixivdic.launcher.fake.FaultProxy;
import dev.pixivdic.launcher.fake.NotifyingBuffer;
import dev.pixivdic.launcher.fake.PodLog;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.Streams;
import dev.pixivdic.launcher.fake.TestPki;
import dev.pixivdic.launcher.kube.Cluster;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.kube.KubeConfig;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import dev.pixivdic.launcher.manifest.ManifestValidation;
import dev.pixivdic.launcher.manifest.Specs;
import dev.pixivdic.support.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One launcher run against the fake API server, with its scripted streams. */
final class Harness implements AutoCloseable {
  static final String NS = "batch";
  static final String NAME = "pixiv-scraping-1";
  static final String JOBS = "^/apis/batch/v1/namespaces/batch/jobs";
  static final String CREATE = JOBS + "\\?fieldValidation=Strict$";
  static final String JOB_LIST = JOBS + "\\?fieldSelector=[^&]*$";
  static final String JOB_WATCH = JOBS + "\\?fieldSelector=.*watch=true";
  static final String JOB = JOBS + "/" + NAME + "$";
  static final String DELETE = JOBS + "/" + NAME + "\\?propagationPolicy=Background$";
  static final String PODS = "^/api/v1/namespaces/batch/pods";
  static final String POD_LIST = PODS + "\\?labelSelector=[^&]*$";
  static final String POD_WATCH = PODS + "\\?labelSelector=.*watch=true";
  /** The prefix of a {@link Setup#token()} that is to be read from a token file. */
  static final String TOKEN_FILE = "file:";
  /** The prefix of a {@link Setup#token()} that names an exec plugin to get the token from. */
  static final String EXEC = "exec:";

  /**
   * How a harness is set up.
   *
   * @param throughProxy put a {@link FaultProxy} between the launcher and the fake
   * @param serverSuffix appended to the server URL in the kubeconfig (a query string, say)
   * @param token the kubeconfig's bearer token
   * @param requestTimeout time limit of one API request
   * @param patience how long transient API failures are retried
   * @param hostAhead how far the launcher's host clock (as its API client reads it) is ahead of
   *     the fake server's
   * @param keepGoingWhenBlocked {@code --keep-going-when-blocked}
   */
  record Setup(
      int shards,
      boolean keepOnFailure,
      boolean throughProxy,
      boolean deadServer,
      String serverSuffix,
      String token,
      Duration requestTimeout,
      Duration patience,
      Duration hostAhead,
      boolean keepGoingWhenBlocked) {
    static Setup shards(int n) {
      return new Setup(
          n, false, false, false, "", "t", Duration.ofSeconds(10), Duration.ofSeconds(5),
          Duration.ZERO, false);
    }

    Setup keepingFailedJobs() {
      return new Setup(
          shards, true, throughProxy, deadServer, serverSuffix, token, requestTimeout, patience,
          hostAhead, keepGoingWhenBlocked);
    }

    Setup throughProxy(String suffix, String bearer) {
      return new Setup(
          shards, keepOnFailure, true, deadServer, suffix, bearer, requestTimeout, patience,
          hostAhead, keepGoingWhenBlocked);
    }

    /** The kubeconfig names a port nothing listens on (yet): connections are refused. */
    Setup withDeadServer() {
      return new Setup(
          shards, keepOnFailure, throughProxy, true, serverSuffix, token, requestTimeout, patience,
          hostAhead, keepGoingWhenBlocked);
    }

    Setup hostAhead(Duration ahead) {
      return new Setup(shards, keepOnFailure, throughProxy, deadServer, serverSuffix, token,
          requestTimeout, patience, ahead, keepGoingWhenBlocked);
    }

    /** The kubeconfig's user: a token, {@link #TOKEN_FILE} or {@link #EXEC}. */
    Setup token(String user) {
      return new Setup(shards, keepOnFailure, throughProxy, deadServer, serverSuffix, user,
          requestTimeout, patience, hostAhead, keepGoingWhenBlocked);
    }

    Setup keepingGoingWhenBlocked() {
      return new Setup(shards, keepOnFailure, throughProxy, deadServer, serverSuffix, token,
          requestTimeout, patience, hostAhead, true);
    }

    Setup timeouts(Duration request, Duration retryFor) {
      return new Setup(
          shards, keepOnFailure, throughProxy, deadServer, serverSuffix, token, request, retryFor,
          hostAhead, keepGoingWhenBlocked);
    }
  }

  final TestPki pki;
  final FakeKube fake;
  /** Between the launcher and the fake when the setup asks for it, else null. */
  final FaultProxy proxy;
  /** The port the kubeconfig names when the setup asks for a dead server, else -1. */
  final int deadPort;
  final ObjectNode manifest;
  final ObjectNode job;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final ByteArrayOutputStream out = new NotifyingBuffer();
  final ByteArrayOutputStream err = new NotifyingBuffer();
  final Interruption interruption = new Interruption();
  /** The kubeconfig's token file, when the setup's token is {@code file:T}. */
  final Path tokenFile;
  final JobRunner runner;
  Streams.Stream jobWatch;
  Streams.Stream podWatch;
  CompletableFuture<Integer> result;

  Harness(TestPki pki, Path dir, int shards, boolean keepOnFailure) throws Exception {
    this(pki, dir, keepOnFailure ? Setup.shards(shards).keepingFailedJobs() : Setup.shards(shards));
  }

  Harness(TestPki pki, Path dir, Setup setup) throws Exception {
    this.pki = pki;
    this.tokenFile = dir.resolve("token");
    fake = FakeKube.start(pki);
    proxy = setup.throughProxy() ? FaultProxy.start(pki, fake.url()) : null;
    deadPort = setup.deadServer() ? freePort() : -1;
    java.net.URI server = setup.deadServer() ? java.net.URI.create("https://127.0.0.1:" + deadPort)
        : proxy == null ? fake.url() : proxy.url();
    KubeApi api = api(pki, server + setup.serverSuffix(), setup.token(), dir,
        setup.requestTimeout(), Clock.offset(Clock.systemUTC(), setup.hostAhead()));
    manifest = ManifestBuilder.build(Specs.simple(NAME, setup.shards(), setup.shards()));
    ManifestValidation.validate(manifest);
    job = Fixtures.created(manifest, Fixtures.JOB_UID);
    JobRunner.Settings settings =
        new JobRunner.Settings(
            Duration.ofMinutes(5),
            Duration.ofMinutes(2),
            Duration.ofSeconds(20),
            Duration.ZERO,
            setup.patience(),
            setup.keepOnFailure(),
            setup.keepGoingWhenBlocked());
    runner =
        new JobRunner(
            api,
            NS,
            manifest,
            settings,
            clock,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            interruption);
  }

  /**
   * The API client of a kubeconfig (written to {@code dir}) for {@code server} with a bearer
   * token, resolved as the launcher resolves one. A token {@code file:T} is written to {@code
   * dir/token} and named as the kubeconfig's {@code tokenFile}, read on every request; a token
   * {@code exec:PATH} is the exec plugin {@code PATH}'s.
   */
  static KubeApi api(TestPki pki, String server, String token, Path dir, Duration requestTimeout)
      throws java.io.IOException {
    return api(pki, server, token, dir, requestTimeout, Clock.systemUTC());
  }

  /** As above, the client reading its host's time from {@code hostClock}. */
  static KubeApi api(TestPki pki, String server, String token, Path dir, Duration requestTimeout,
      Clock hostClock) throws java.io.IOException {
    Path config = dir.resolve("kubeconfig");
    String user = "token: \"" + token + "\"";
    if (token.startsWith(TOKEN_FILE)) {
      Files.writeString(dir.resolve("token"), token.substring(TOKEN_FILE.length()));
      user = "tokenFile: \"" + dir.resolve("token") + "\"";
    } else if (token.startsWith(EXEC)) {
      user = "exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never,"
          + " command: \"" + token.substring(EXEC.length()) + "\"}";
    }
    Files.writeString(config, kubeconfig(pki, server, user));
    Cluster cluster = KubeConfig.resolve(Optional.of(config), Optional.empty(),
        new KubeConfig.Environment(Map.of(), dir, dir.resolve("none"), Clock.systemUTC()));
    return new KubeApi(cluster, requestTimeout, Duration.ZERO, hostClock);
  }

  static String kubeconfig(TestPki pki, String server, String user) throws java.io.IOException {
    return """
    current-context: c
    contexts: [{name: c, context: {cluster: c, user: u, namespace: batch}}]
    clusters: [{name: c, cluster: {server: "%s", certificate-authority-data: %s}}]
    users: [{name: u, user: {%s}}]
    """
        .formatted(server, TestPki.base64(TestPki.pem(pki.ca)), user);
  }

  /** Scripts create, the first lists and watches, and the delete; then starts the run. */
  Harness startCreated() {
    fake.on("POST", CREATE, Responses.json(201, job));
    return startWatching(job);
  }

  /** Scripts the delete, lists and watches (the Job list holding {@code listed}); starts. */
  Harness startWatching(ObjectNode... listed) {
    scriptWatches(listed);
    fake.on(
        "DELETE",
        DELETE,
        Responses.json(200, Fixtures.JSON.createObjectNode().put("kind", "Status")));
    return start();
  }

  void scriptWatches(ObjectNode... listed) {
    jobWatch = fake.newStream();
    podWatch = fake.newStream();
    fake.on("GET", JOB_LIST, Responses.json(200, Fixtures.list("100", listed)));
    fake.on("GET", JOB_WATCH, Responses.stream(jobWatch));
    fake.on("GET", POD_LIST, Responses.json(200, Fixtures.list("100")));
    fake.on("GET", POD_WATCH, Responses.stream(podWatch));
    fake.always("GET", POD_LIST, Responses.json(200, Fixtures.list("100")));
    fake.always(
        "GET", "^/api/v1/namespaces/batch/events\\?", Responses.json(200, Fixtures.list("1")));
    PodLog empty = new PodLog();
    empty.finish();
    fake.always("GET", PODS + "/[^/]+/log\\?", empty); // pods whose log a test does not care about
  }

  /** What the list of pods says once the Job has ended. */
  void finalPods(ObjectNode... pods) {
    fake.on("GET", POD_LIST, Responses.json(200, Fixtures.list("500", pods)));
  }

  Harness start() {
    result = CompletableFuture.supplyAsync(runner::run);
    return this;
  }

  PodLog log(String pod) {
    PodLog log = new PodLog();
    fake.always("GET", PODS + "/" + pod + "/log\\?", log);
    return log;
  }

  /** Sends a tick and waits until the loop has handled it: whether the run goes on. */
  boolean tickHandled() throws Exception {
    return runner.tickHandled().get(30, TimeUnit.SECONDS);
  }

  int exitCode() throws Exception {
    return result.get(30, TimeUnit.SECONDS);
  }

  /** The exit code, which must come within {@code seconds}. */
  int exitCodeWithin(int seconds) throws Exception {
    return result.get(seconds, TimeUnit.SECONDS);
  }

  /** Waits until stdout contains {@code text}. */
  void awaitOut(String text) throws InterruptedException {
    await(out, "stdout", text);
  }

  /** Waits until stderr contains {@code text}. */
  void awaitErr(String text) throws InterruptedException {
    await(err, "stderr", text);
  }

  /** Waits (up to 20 s) until a write makes {@code stream} contain {@code text}. */
  private void await(ByteArrayOutputStream stream, String name, String text)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    synchronized (stream) {
      while (!stream.toString(StandardCharsets.UTF_8).contains(text)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(name + " never contained '" + text + "'; stdout:\n" + out()
              + "\nstderr:\n" + err());
        }
        TimeUnit.NANOSECONDS.timedWait(stream, left);
      }
    }
  }

  /** A port nothing listens on, on loopback. */
  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  long count(String method, String regex) {
    return fake.requests().stream()
        .filter(
            r ->
                r.method().equals(method)
                    && java.util.regex.Pattern.compile(regex).matcher(r.uri()).find())
        .count();
  }

  @Override
  public void close() {
    if (proxy != null) {
      proxy.close();
    }
    fake.close();
  }
}
