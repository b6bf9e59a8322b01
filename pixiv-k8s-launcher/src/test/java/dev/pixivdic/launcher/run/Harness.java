package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.fake.FakeKube;
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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

  final FakeKube fake;
  final ObjectNode manifest;
  final ObjectNode job;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final ByteArrayOutputStream out = new ByteArrayOutputStream() {
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      super.write(b, off, len);
      notifyAll();
    }
  };
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Interruption interruption = new Interruption();
  final JobRunner runner;
  Streams.Stream jobWatch;
  Streams.Stream podWatch;
  private CompletableFuture<Integer> result;

  Harness(TestPki pki, Path dir, int shards, boolean keepOnFailure) throws Exception {
    fake = FakeKube.start(pki);
    Path config = dir.resolve("kubeconfig");
    Files.writeString(config, """
        current-context: c
        contexts: [{name: c, context: {cluster: c, user: u, namespace: batch}}]
        clusters: [{name: c, cluster: {server: "%s", certificate-authority-data: %s}}]
        users: [{name: u, user: {token: t}}]
        """.formatted(fake.url(), TestPki.base64(TestPki.pem(pki.ca))));
    Cluster cluster = KubeConfig.resolve(Optional.of(config), Optional.empty(),
        new KubeConfig.Environment(Map.of(), dir, dir.resolve("none"), Clock.systemUTC()));
    KubeApi api = new KubeApi(cluster, Duration.ofSeconds(10), Duration.ZERO);
    manifest = ManifestBuilder.build(Specs.simple(NAME, shards, shards));
    ManifestValidation.validate(manifest);
    job = Fixtures.created(manifest, "uid-1");
    JobRunner.Settings settings = new JobRunner.Settings(Duration.ofMinutes(5), Duration.ofMinutes(2),
        Duration.ofSeconds(20), Duration.ZERO, keepOnFailure);
    runner = new JobRunner(api, NS, manifest, settings, clock, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), interruption);
  }

  /** Scripts create, the first lists and watches, and the delete; then starts the run. */
  Harness startCreated() {
    fake.on("POST", CREATE, Responses.json(201, job));
    return startWatching(job);
  }

  Harness startWatching(ObjectNode listed) {
    scriptWatches(listed);
    fake.on("DELETE", DELETE, Responses.json(200, Fixtures.JSON.createObjectNode().put("kind", "Status")));
    return start();
  }

  void scriptWatches(ObjectNode listed) {
    jobWatch = fake.newStream();
    podWatch = fake.newStream();
    fake.on("GET", JOB_LIST, Responses.json(200, Fixtures.list("100", listed)));
    fake.on("GET", JOB_WATCH, Responses.stream(jobWatch));
    fake.on("GET", POD_LIST, Responses.json(200, Fixtures.list("100")));
    fake.on("GET", POD_WATCH, Responses.stream(podWatch));
    fake.always("GET", POD_LIST, Responses.json(200, Fixtures.list("100")));
    fake.always("GET", "^/api/v1/namespaces/batch/events\\?", Responses.json(200, Fixtures.list("1")));
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

  int exitCode() throws Exception {
    return result.get(30, TimeUnit.SECONDS);
  }

  /** Waits until stdout contains {@code text}. */
  void awaitOut(String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    synchronized (out) {
      while (!out().contains(text)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("stdout never contained '" + text + "'; it holds:\n" + out() + "\nstderr:\n" + err());
        }
        TimeUnit.NANOSECONDS.timedWait(out, left);
      }
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
        .filter(r -> r.method().equals(method) && java.util.regex.Pattern.compile(regex).matcher(r.uri()).find())
        .count();
  }

  @Override
  public void close() {
    fake.close();
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

}
