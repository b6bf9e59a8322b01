package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.fetch.LoopbackProxy;
import dev.pixivdic.launcher.report.FinalLine;
import dev.pixivdic.launcher.report.JobReport;
import dev.pixivdic.support.notify.Webhook;
import dev.pixivdic.webhook.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run} does with the Job report at the end: the file and the notice. */
@Timeout(60)
class JobReportDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private WebhookReceiver receiver;
  private final ByteArrayOutputStream status = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    receiver = WebhookReceiver.start();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private static JobReport report(int exitCode) {
    FinalLine done = new FinalLine("scrape", "r0", "0/2", "COMPLETED", 0, 10, 0, 9, 0, 12, 2,
        50, 0.1);
    return JobReport.of("pixiv/pixiv-1", exitCode, List.of("Job pixiv/pixiv-1 failed: X"),
        Instant.parse("2026-11-30T00:00:00Z"), Duration.ofSeconds(60), new BigDecimal("0.2"), 2,
        List.of(new JobReport.Attempt(0, "p0", Optional.of(0), "Completed", Optional.of(done)),
            new JobReport.Attempt(1, "p1", Optional.of(137), "OOMKilled", Optional.empty())));
  }

  private ReportOptions options(String... notifyOn) {
    ReportOptions o = new ReportOptions();
    o.webhook = new WebhookOptions();
    o.webhook.notify = "env:HOOK";
    o.webhook.notifyFormat = "slack";
    o.notifyOn = notifyOn.length == 0 ? "failure" : notifyOn[0];
    o.report = dir.resolve("reports/job.json");
    return o;
  }

  private Optional<ReportOptions.Notice> notice(ReportOptions o) {
    Optional<ReportOptions.Notice> n = o.check(Map.of("HOOK", receiver.url().toString())::get);
    return n.map(x -> new ReportOptions.Notice(x.webhook().withBackoff(Duration.ofMillis(10)),
        x.format(), x.when()));
  }

  private String status() {
    return status.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aFailedRunWritesTheReportAndPostsItAsSlackText() throws Exception {
    ReportOptions o = options();
    o.deliver(report(1), notice(o), new PrintStream(status, true, StandardCharsets.UTF_8));

    JsonNode file = JSON.readTree(dir.resolve("reports/job.json").toFile());
    assertThat(file.path("job").asText()).isEqualTo("pixiv/pixiv-1");
    assertThat(file.at("/total/shards_without_final_line").toString()).isEqualTo("[1]");
    JsonNode body = JSON.readTree(receiver.requests().get(0).body());
    assertThat(body.path("text").asText()).startsWith("pixiv-launch: Job pixiv/pixiv-1 failed"
        + " (exit 1)").contains("1 of 2 shards reported", "NO_FINAL_LINE");
    assertThat(status()).isEmpty();
    // The file it wrote is a Job report: the next run may replace it.
    ReportOptions.checkTarget(dir.resolve("reports/job.json"));
  }

  /** A report named through a link (latest.json -> runs/...) is written where it leads. */
  @Test
  void aReportNamedThroughASymbolicLinkIsWrittenWhereTheLinkLeads() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("runs"));
    Path target = runs.resolve("job-17.json");
    Path link = Files.createSymbolicLink(dir.resolve("latest.json"), Path.of("runs/job-17.json"));
    ReportOptions o = options();
    o.report = link;
    o.deliver(report(0), Optional.empty(), new PrintStream(status, true,
        StandardCharsets.UTF_8));

    assertThat(Files.isSymbolicLink(link)).as("the link stays a link").isTrue();
    assertThat(JSON.readTree(target.toFile()).path("job").asText()).isEqualTo("pixiv/pixiv-1");
    assertThat(runs.resolve("job-17.json.tmp")).doesNotExist();
    assertThat(status()).isEmpty();
  }

  @Test
  void aSucceededRunIsNotPostedUnlessAlwaysIsAsked() throws Exception {
    ReportOptions quiet = options();
    quiet.deliver(report(0), notice(quiet), new PrintStream(status, true,
        StandardCharsets.UTF_8));
    assertThat(receiver.requests()).isEmpty();

    ReportOptions always = options("always");
    always.webhook.notifyFormat = "json";
    always.deliver(report(0), notice(always), new PrintStream(status, true,
        StandardCharsets.UTF_8));
    JsonNode body = JSON.readTree(receiver.requests().get(0).body());
    assertThat(body.at("/report/total/requests").asLong()).isEqualTo(12);
  }

  @Test
  void theNoticeGoesThroughTheEnvironmentsProxySendingItsCredentials() throws Exception {
    try (LoopbackProxy proxy = LoopbackProxy.withCredentials("ops", "hunter2-proxy")) {
      ReportOptions o = options("always");
      Optional<ReportOptions.Notice> n = o.check(Map.of("HOOK", receiver.url().toString(),
          "HTTP_PROXY", "http://ops:hunter2-proxy@127.0.0.1:" + proxy.port())::get);
      o.deliver(report(0), n, new PrintStream(status, true, StandardCharsets.UTF_8));

      assertThat(receiver.requests()).hasSize(1);
      assertThat(proxy.forwarded()).extracting(LoopbackProxy.Seen::target)
          .anyMatch(t -> t.contains(receiver.url().getAuthority()));
      assertThat(proxy.seen()).allMatch(LoopbackProxy.Seen::authorized);
      assertThat(status()).doesNotContain("hunter2");
    }
  }

  @Test
  void aReceiverThatKeepsFailingIsTriedThreeTimesThenAWarningWithoutTheUrl() throws Exception {
    receiver.otherwise(503);
    ReportOptions o = options();
    o.deliver(report(75), notice(o), new PrintStream(status, true, StandardCharsets.UTF_8));

    assertThat(receiver.requests()).hasSize(Webhook.ATTEMPTS);
    assertThat(status()).contains("warning: the notice to http://127.0.0.1:", "/***",
        "not delivered").doesNotContain(receiver.secret());
    assertThat(Files.exists(dir.resolve("reports/job.json"))).isTrue();
  }

  @Test
  void aReceiverThatRecoversGetsTheNoticeOnce() throws Exception {
    receiver.answer(500);
    ReportOptions o = options();
    o.deliver(report(75), notice(o), new PrintStream(status, true, StandardCharsets.UTF_8));

    assertThat(receiver.requests()).hasSize(2);
    assertThat(status()).isEmpty();
  }
}
