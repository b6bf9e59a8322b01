package dev.pixivdic.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.kube.Cluster;
import dev.pixivdic.launcher.kube.Daemons;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.kube.KubeConfig;
import dev.pixivdic.launcher.report.JobReport;
import dev.pixivdic.launcher.run.ExitCodes;
import dev.pixivdic.launcher.run.Interruption;
import dev.pixivdic.launcher.run.JobRunner;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.Signals;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pixiv-launch run}: creates the Job, follows it, cleans up, exits with its outcome. */
@Command(name = "run", showDefaultValues = true,
    header = "Create the Job, follow its pods' logs, delete it, and exit with its result.",
    description = {"The exit code tells a scheduler what happened (docs/launcher.md);"
        + " a retry with the same --name re-attaches to a Job still running."})
final class RunCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  /** How long a signal may spend deleting the Job before the JVM exits anyway. */
  static final Duration SIGNAL_BOUND = Duration.ofSeconds(20);
  /**
   * After a signal's clean-up, how long the shutdown hook waits for the run to print its Job
   * report (and post its notice): the JVM exits once its hooks return, cutting the report off.
   */
  static final Duration REPORT_BOUND = Duration.ofSeconds(5);

  @Mixin JobOptions job;
  @Mixin ReportOptions reporting;

  @Option(
      names = "--startup-timeout",
      defaultValue = "5m",
      paramLabel = "DURATION",
      converter = DurationConverter.StartupTimeout.class,
      description =
          "How long a pod may fail to start (image pull, unschedulable) before the launch fails, "
              + "from 1s to 1d.")
  Duration startupTimeout;

  @Option(names = "--keep-on-failure", description = "Keep a failed Job for inspection.")
  boolean keepOnFailure;

  @Option(names = "--keep-going-when-blocked",
      description = "When a pod's pixiv stops because the site blocks it or cannot be had"
          + " (stop_reason BLOCKED or SITE_UNREACHABLE), leave its shard to the Job's retries"
          + " instead of stopping the Job (exit 75).")
  boolean keepGoingWhenBlocked;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Kubeconfig file (default: KUBECONFIG, in-cluster, ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "Kubeconfig context (default: current-context).")
  String context;

  @Option(names = "--log-idle-timeout", defaultValue = "2m", paramLabel = "DURATION",
      converter = DurationConverter.LogIdleTimeout.class,
      description = "Reopen a log stream silent this long, from 1s to 1d.")
  Duration logIdleTimeout;

  @Option(names = "--drain-timeout", defaultValue = "60s", paramLabel = "DURATION",
      converter = DurationConverter.DrainTimeout.class,
      description = "Wait this long for logs after the Job ended, from 0s to 1h.")
  Duration drainTimeout;

  @Option(names = "--api-retry-timeout", defaultValue = "5m", paramLabel = "DURATION",
      converter = DurationConverter.ApiRetryTimeout.class,
      description = "How long to keep trying through transient API failures (connection refused"
          + " or reset, DNS, timeouts, 429, 5xx) while creating, watching or deleting the Job,"
          + " before exiting 69 (retry), from 0s to 1d.")
  Duration apiRetryTimeout;

  /**
   * Time limit of one API request; a create that gets no answer within it is looked up and sent
   * again.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public Integer call() throws IOException {
    JobRunner.Settings settings = new JobRunner.Settings(
        startupTimeout,
        logIdleTimeout,
        drainTimeout,
        Duration.ofSeconds(1),
        apiRetryTimeout,
        keepOnFailure,
        keepGoingWhenBlocked);
    job.toSpec(Optional.empty()); // fail on bad options before touching the cluster
    Duration leastTtl = drainTimeout.plusMinutes(1);
    if (job.ttl.compareTo(leastTtl) < 0) {
      // The cluster deletes a finished Job after its TTL, and its pods with it: the launcher
      // would lose the last log lines and the pods' final states, or see the Job "deleted".
      throw new IllegalArgumentException("--ttl " + job.ttl.toSeconds() + "s is shorter than"
          + " --drain-timeout plus a minute: the cluster would delete the finished Job while the"
          + " launcher reads its end; give at least " + leastTtl.toSeconds() + "s (manifest"
          + " takes any --ttl)");
    }
    Optional<ReportOptions.Notice> notice = reporting.check(System::getenv);
    // An unreadable kubeconfig or a missing context is the user's to fix: the IOException exits 2
    // with its message, on the command's error stream.
    Cluster cluster = KubeConfig.resolve(Optional.ofNullable(kubeconfig),
        Optional.ofNullable(context), KubeConfig.Environment.system());
    ObjectNode manifest = job.manifest(cluster.namespace(), cluster.source());
    String namespace = manifest.path("metadata").path("namespace").asText();
    if (cluster.proxy().hasCredentials()) {
      // Read once by the JDK, when the first HttpClient is made: the KubeApi's, just below.
      ProxySettings.allowBasicInTunnels();
    }
    cluster
        .proxy()
        .proxyFor(cluster.server())
        .ifPresent(
            p ->
                org.slf4j.LoggerFactory.getLogger(RunCommand.class)
                    .info("API server {} through the proxy {}", cluster.server(), p));
    KubeApi api = new KubeApi(cluster, REQUEST_TIMEOUT, Duration.ofSeconds(1));
    Interruption interruption = new Interruption();
    PrintStream stdout =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    JobRunner runner =
        new JobRunner(
            api,
            namespace,
            manifest,
            settings,
            Clock.systemUTC(),
            stdout,
            System.err,
            interruption);
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(Daemons.factory("pixiv-launch-ticker"));
    // The JVM turns SIGTERM/SIGINT into shutdown hooks and then exits with 143/130 itself; the
    // hook lets the run's report out first (the signal ends the run's wait at once). The
    // signals' own handlers do what the JVM's do (exit with the signal's code, which runs the
    // hook), having noted which signal came: the hook cannot tell, and the report and notice
    // say the code the process ends with. Without them, SIGTERM's code is the one reported.
    AtomicInteger signalCode = new AtomicInteger();
    Map<Object, Object> jvmHandlers = Map.of();
    IntConsumer noteAndExit = code -> {
      signalCode.compareAndSet(0, code);
      System.exit(code);
    };
    try {
      jvmHandlers = Signals.handle(Map.of("INT", ExitCodes.SIGINT, "TERM", ExitCodes.SIGTERM),
          noteAndExit);
    } catch (UnsupportedOperationException e) {
      org.slf4j.LoggerFactory.getLogger(RunCommand.class).debug("{}", e.getMessage());
    }
    CountDownLatch reported = new CountDownLatch(1);
    // Set once the run has ended: a signal while the report and notice go out cut them off with
    // a bare 143, though the Job had ended.
    AtomicReference<String> delivering = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      int code = signalCode.get();
      String ended = delivering.get();
      if (ended != null && reported.getCount() > 0) {
        int exit = code == 0 ? ExitCodes.SIGTERM : code;
        System.err.println("pixiv-launch: interrupted by "
            + (exit == ExitCodes.SIGINT ? "SIGINT" : "SIGTERM") + " (exit " + exit + ") while"
            + " writing the Job report or posting the notice, which may not be out; " + ended);
      }
      interruption.onSignal(code == 0 ? ExitCodes.SIGTERM : code, SIGNAL_BOUND);
      try {
        reported.await(REPORT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pixiv-launch-shutdown"));
    try {
      ticker.scheduleAtFixedRate(runner::tick, 1, 1, TimeUnit.SECONDS);
      int code = runner.run();
      stdout.flush();
      JobReport report = runner.report(job.qps);
      delivering.set("the run had already ended: exit " + code + (report.verdict().isEmpty() ? ""
          : " (" + report.verdict().get(0).lines().findFirst().orElse("") + ")"));
      report.lines().forEach(l -> System.err.println("pixiv-launch: " + l));
      reporting.deliver(report, notice, System.err);
      return code;
    } finally {
      ticker.shutdownNow();
      stdout.flush();
      System.err.flush();
      reported.countDown();
      Signals.restore(jvmHandlers);
    }
  }
}
