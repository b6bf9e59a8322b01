package dev.pixivdic.examples.rehearsal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.webhook.WebhookReceiver;
import dev.pixivdic.examples.rehearsal.digdag.Session;
import dev.pixivdic.examples.rehearsal.digdag.ShTask;
import dev.pixivdic.examples.rehearsal.digdag.Workflow;
import dev.pixivdic.examples.rehearsal.kube.Image;
import dev.pixivdic.examples.rehearsal.kube.StandInCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a weekly run touches, on this machine: the site, BigQuery, a Kubernetes cluster, and a
 * Digdag host that runs a workflow's tasks. The workflow files are the shipped ones; what a user
 * sets in their copy (the image, the project, the size of the run) is given as edits of the {@code
 * _export} block, and the host's environment points the commands at the stand-ins.
 */
final class Rehearsal implements AutoCloseable {

  /** The delay before the stand-in's Job controller tries a failed shard again: Kubernetes'. */
  static final Duration POD_FAILURE_BACKOFF = Duration.ofSeconds(10);

  static final String PROJECT = "rehearsal-project";
  static final String NAMESPACE = "pixiv";
  static final String IMAGE =
      "asia-northeast1-docker.pkg.dev/" + PROJECT + "/pixiv/pixiv:rehearsal";

  /** The identity the launcher authenticates as: rbac.yaml binds its Role to this account. */
  static final String LAUNCHER_USER = "system:serviceaccount:pixiv:pixiv-launcher";

  /**
   * The JVM settings of the image's {@code JAVA_TOOL_OPTIONS} that do not name paths (see the
   * Dockerfile): heap from the container's memory limit, out-of-memory ends the process.
   */
  static final String IMAGE_JAVA_OPTIONS =
      "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData";

  /** Start-up over peak speed for the many short JVMs of a rehearsal; not the image's settings. */
  static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto");

  final Path root;
  final Path dir;
  final Site site;
  final BigQueryStandIn bq;
  final StandInCluster cluster;
  /** The chat's webhook, where the workflows' failure notices go. */
  final WebhookReceiver chat;
  private final PrintStream echo;
  /** The Job reports the sessions' tasks write where the workflows put them, for close. */
  private final java.util.Set<Path> jobReports = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param dir scratch space for this rehearsal, deleted by {@link #close}
   * @param echo where the tasks' output is copied as it comes (a user watching), or null
   */
  Rehearsal(Path dir, PrintStream echo) throws IOException {
    this.root = repositoryRoot();
    this.dir = requireNonNull(dir, "dir");
    this.echo = echo;
    Files.createDirectories(dir.resolve("home"));
    site = Site.start();
    chat = WebhookReceiver.start();
    bq = BigQueryStandIn.start();
    // Where the shipped workflows say their datasets are (--location asia-northeast1): a job
    // that names another location than its tables' finds none of them, as in BigQuery.
    bq.datasetsLocation("asia-northeast1");
    List<String> entrypoint = new java.util.ArrayList<>(List.of(java().toString()));
    entrypoint.addAll(QUICK_JVM);
    entrypoint.addAll(classDataArchive());
    entrypoint.addAll(List.of("-jar", root.resolve("pixiv-cli/target/pixiv.jar").toString()));
    Image image =
        new Image(
            IMAGE,
            entrypoint,
            Map.of(
                "JAVA_TOOL_OPTIONS", IMAGE_JAVA_OPTIONS + " -Djava.io.tmpdir=.",
                "PIXIV_LOG_FORMAT", "json",
                "LANG", "C.UTF-8"));
    cluster =
        StandInCluster.start(
            new StandInCluster.Setup(
                StandInCluster.shippedManifests(root),
                LAUNCHER_USER,
                List.of(image),
                network(),
                dir.resolve("cluster")));
    cluster.podFailureBackoff(POD_FAILURE_BACKOFF);
  }

  /**
   * A class-data archive of one small scrape against the stand-ins, so the pods' JVMs start faster;
   * it warms the stand-ins up as well. Empty (no archive) if the training run failed: the pods then
   * start as they would anyway.
   */
  private List<String> classDataArchive() throws IOException {
    Path archive = dir.resolve("pixiv.jsa");
    String training = PROJECT + ".training.";
    bq.seed(
        training + "source",
        List.of(Map.of("url", site.articles().get(0).url(), "middle_class_ip_name", "")));
    List<String> cmd = new java.util.ArrayList<>(List.of(java().toString()));
    cmd.addAll(QUICK_JVM);
    cmd.addAll(
        List.of(
            "-XX:ArchiveClassesAtExit=" + archive,
            "-jar",
            root.resolve("pixiv-cli/target/pixiv.jar").toString(),
            "scrape",
            "--source",
            "bq:" + training + "source",
            "--sink",
            "bq:" + training + "details",
            "--qps",
            "100",
            "--progress",
            "none",
            "--quiet"));
    // The log shows CDS skipping old class files (picocli's): harmless, and why it is not shown.
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("training.log").toFile());
    pb.environment().putAll(network());
    try {
      Process p = pb.start();
      boolean done = p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES);
      return done && p.exitValue() == 0 && Files.exists(archive)
          ? List.of("-XX:SharedArchiveFile=" + archive)
          : List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while training the class-data archive");
    }
  }

  static Path repositoryRoot() {
    return Path.of(System.getProperty("pixiv.repo.root", "../..")).toAbsolutePath().normalize();
  }

  private static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * Where the commands find the site and BigQuery. A cluster's DNS and a Digdag host's network
   * would route dic.pixiv.net and bigquery.googleapis.com; here the commands are told, through the
   * variables the {@code pixiv} command reads for its defaults.
   */
  private Map<String, String> network() {
    return Map.of(
        "PIXIV_ORIGIN",
        site.origin().toString(),
        "BIGQUERY_EMULATOR_HOST",
        bq.endpoint().toString());
  }

  /** The Digdag host's environment: a JDK on the PATH, its own HOME, the cluster's kubeconfig. */
  Map<String, String> hostEnv() {
    Map<String, String> env = new LinkedHashMap<>(network());
    env.put("PATH", java().getParent() + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", dir.resolve("home").toString());
    env.put("LANG", "C.UTF-8");
    env.put("KUBECONFIG", cluster.kubeconfig().toString());
    env.put("PIXIV_JAVA_OPTS", String.join(" ", QUICK_JVM));
    // Set on the Digdag server from a secret; the workflows name only the variable.
    env.put("PIXIV_NOTIFY_URL", chat.url().toString());
    return env;
  }

  /** A session of this week: Monday 04:00 in the workflow's time zone, a fresh uuid. */
  static Session session(Map<String, String> exportEdits) {
    ZonedDateTime monday =
        ZonedDateTime.now(ZoneId.of("Asia/Tokyo"))
            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
            .with(LocalTime.of(4, 0));
    return new Session(UUID.randomUUID(), monday, exportEdits, Map.of());
  }

  /**
   * The values a user puts in their copy's {@code _export}: this project's image and project, and a
   * run sized for one machine.
   */
  static Map<String, String> edits(int shards, int parallelism, double qps) {
    return Map.of(
        "image",
        IMAGE,
        "project",
        PROJECT,
        "shards",
        Integer.toString(shards),
        "parallelism",
        Integer.toString(parallelism),
        "qps",
        Double.toString(qps));
  }

  static String table(String dataset, String name) {
    return PROJECT + "." + dataset + "." + name;
  }

  /** A session of this week in {@code dataset}, sized for one machine (see {@link #edits}). */
  static Session session(String dataset, int shards, int parallelism, double qps) {
    Map<String, String> edits = new LinkedHashMap<>(edits(shards, parallelism, qps));
    edits.put("dataset", dataset);
    return session(edits);
  }

  /**
   * Seeds the source table of {@code dataset} as the upstream job would have left it: every corpus
   * article and {@code missing} URLs the site does not have (stored as NOT_FOUND), each with its
   * middle_class_ip_name. Returns the URLs.
   */
  List<String> seedUrls(String dataset, int missing) {
    List<String> urls = new java.util.ArrayList<>();
    site.articles().forEach(a -> urls.add(a.url()));
    for (int i = 0; i < missing; i++) {
      urls.add(ArticleUrl.ofTitle("存在しない記事" + i).canonical());
    }
    List<Map<String, String>> rows = new java.util.ArrayList<>();
    for (String u : urls) {
      String name = "作品 " + Integer.toHexString(u.hashCode());
      rows.add(Map.of("url", u, "middle_class_ip_name", name));
    }
    bq.seed(table(dataset, "pixiv_search_middle_class_ip_name_url"), rows);
    return urls;
  }

  /**
   * Seeds the master list of names of {@code dataset}: the title of every corpus article and {@code
   * unknown} names the site's search does not know. Returns the names.
   */
  List<String> seedNames(String dataset, int unknown) {
    List<String> names = new java.util.ArrayList<>();
    site.articles().forEach(a -> names.add(a.title()));
    for (int i = 1; i <= unknown; i++) {
      names.add("どこにもない作品" + i);
    }
    bq.seed(
        table(dataset, "middle_class_ip_master"),
        names.stream().map(n -> Map.of("middle_class_ip_name", n)).toList());
    return names;
  }

  /**
   * The rows of the destination table of {@code dataset} that are not what the corpus says the page
   * holds (title, status and the counts the drift guard requires): rows a broken page made.
   */
  List<Map<String, Object>> wrongRows(String dataset) {
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    site.articles().forEach(a -> expected.put(a.url(), a.expectedRow()));
    List<Map<String, Object>> wrong = new java.util.ArrayList<>();
    for (Map<String, Object> row : bq.rows(table(dataset, "pixiv_detail_info"))) {
      JsonNode want = expected.get((String) row.get("url"));
      boolean same = (want == null ? "NOT_FOUND" : "ARTICLE").equals(row.get("status"));
      for (String column : List.of("title", "view_count", "comment_count", "works_count")) {
        JsonNode w = want == null ? null : want.get(column);
        Object have = row.get(column);
        same &=
            w == null || w.isNull()
                ? have == null
                : have != null && w.asText().equals(have.toString());
      }
      if (!same) {
        wrong.add(row);
      }
    }
    return wrong;
  }

  /** Runs {@code change} when a pod of {@code index} has succeeded, before the next pod starts. */
  void afterIndexSucceeds(int index, Runnable change) {
    cluster.onPodExit(
        e -> {
          if (e.index() == index && e.exitCode() == 0) {
            change.run();
          }
        });
  }

  /** The URLs the destination table of {@code dataset} holds, one entry per row. */
  List<String> storedUrls(String dataset) {
    return bq.rows(table(dataset, "pixiv_detail_info")).stream()
        .map(row -> (String) row.get("url"))
        .toList();
  }

  /**
   * Where the workflows have {@code pixiv-launch run} write the session's Job report, and
   * {@code pixiv-launch notify} read it: {@code /tmp/pixiv-job-report-${session_uuid}.json}, as
   * docs/operations.md says. The Digdag host's /tmp is this machine's, so {@link #close} deletes
   * the reports of every session it started.
   */
  static Path jobReport(Session session) {
    return Path.of("/tmp", "pixiv-job-report-" + session.uuid() + ".json");
  }

  /** Starts a task of the session as Digdag would, in the repository (where ./pixiv-launch is). */
  ShTask start(Workflow workflow, Workflow.Task task, Session session) throws IOException {
    jobReports.add(jobReport(session));
    String command = session.render(workflow, task);
    echoLine("rehearsal: " + task.fullName() + "\n" + command);
    return ShTask.start(
        command, root, hostEnv(), session.variables(workflow, task), this::echoLine);
  }

  /** Runs one task to its end and returns its exit code. */
  int run(Workflow workflow, Workflow.Task task, Session session)
      throws IOException, InterruptedException {
    return start(workflow, task, session).await(Duration.ofMinutes(3));
  }

  /**
   * Runs the session's tasks in order, as Digdag does, until one fails (Digdag would retry it or
   * stop there), then the workflow's {@code _error:} task; returns each task's exit code.
   */
  Map<String, Integer> runSession(Workflow workflow, Session session)
      throws IOException, InterruptedException {
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (Workflow.Task task : workflow.tasks()) {
      int code = run(workflow, task, session);
      codes.put(task.fullName(), code);
      if (code != 0) {
        if (workflow.errorTask().isPresent()) {
          Workflow.Task error = workflow.errorTask().get();
          codes.put(error.fullName(), run(workflow, error, session));
        }
        break;
      }
    }
    return codes;
  }

  /**
   * Stops the stand-ins (every pod process ends), deletes the scratch directory and the Job
   * reports the sessions wrote.
   */
  @Override
  public void close() {
    cluster.close();
    chat.close();
    bq.close();
    site.close();
    for (Path report : jobReports) {
      try {
        Files.deleteIfExists(report);
      } catch (IOException e) {
        echoLine("rehearsal: could not delete " + report + ": " + e.getMessage());
      }
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Scratch space under the temp directory: leaving some of it behind harms nothing.
      echoLine("rehearsal: could not delete " + dir + ": " + e.getMessage());
    }
  }

  private void echoLine(String line) {
    if (echo != null) {
      echo.println(line);
    }
  }
}
