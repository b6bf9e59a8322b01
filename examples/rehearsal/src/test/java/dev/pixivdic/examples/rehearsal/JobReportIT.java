package dev.pixivdic.examples.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.examples.rehearsal.digdag.Session;
import dev.pixivdic.examples.rehearsal.digdag.ShTask;
import dev.pixivdic.examples.rehearsal.digdag.Workflow;
import dev.pixivdic.webhook.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The week that goes wrong, as the operator hears of it: the launcher's Job report (one shard
 * done, one whose pods died without a word, one blocked, which stops the Job) and the workflow's
 * failure notice in the chat, with the report and without the webhook's URL anywhere in the
 * output.
 */
@ExtendWith(RehearsalExtension.class)
@Timeout(600)
class JobReportIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Rehearsal r;
  static Workflow workflow;

  @BeforeAll
  static void load(Rehearsal rehearsal) throws Exception {
    r = rehearsal;
    workflow = Workflow.load(r.root.resolve("examples/digdag/pixiv_scraping.dig"));
  }

  @AfterEach
  void normal() {
    r.cluster.killAtStart(null);
    r.cluster.onPodExit(e -> {});
    r.site.mode(Site.Mode.NORMAL);
  }

  @Test
  void theJobReportNamesTheSilentShardAndTheBlockedOneAndTheNoticeReachesTheChat()
      throws Exception {
    r.seedUrls("report", 10);
    Session session = Rehearsal.session("report", 3, 1, 20);
    Path reportFile = Rehearsal.jobReport(session);
    int noticesBefore = r.chat.requests().size();
    r.cluster.killAtStart(1);
    r.afterIndexSucceeds(0, () -> r.site.mode(Site.Mode.BLOCKING));
    try {
      ShTask task = r.start(workflow, workflow.task("scrape"), session);
      int code = task.await(Duration.ofMinutes(5));

      assertThat(code).as(task.output()).isEqualTo(75);
      assertThat(task.output()).contains("pod pixiv-" + session.uuid() + "-2-",
          "(shard 2/3) stopped because the site blocks the run");
      assertThat(task.output()).contains("Job report pixiv/pixiv-" + session.uuid()
          + ": 2 of 3 shards reported, 1 blocked, 0 drift, 1 without a final line");
      JsonNode report = JSON.readTree(reportFile.toFile());
      assertThat(report.path("exit_code").asInt()).isEqualTo(code);
      JsonNode shards = report.path("shards");
      assertThat(shards.path(0).path("outcome").asText()).isEqualTo("COMPLETED");
      assertThat(shards.path(1).path("outcome").asText()).isEqualTo("NO_FINAL_LINE");
      assertThat(shards.path(2).path("outcome").asText()).isEqualTo("BLOCKED");
      assertThat(shards.path(0).path("exit_code").asInt()).isZero();
      assertThat(shards.path(0).path("rows").asLong()).isPositive();
      assertThat(shards.path(1).path("exit_code").asInt()).as("SIGKILL").isEqualTo(137);
      assertThat(shards.path(1).path("note").asText()).contains("ended without a final line");
      assertThat(shards.path(2).path("exit_code").asInt()).isEqualTo(75);
      assertThat(shards.path(2).path("attempts").asInt()).as("not tried again").isEqualTo(1);
      assertThat(report.at("/total/coverage").asDouble()).isCloseTo(2 / 3.0,
          org.assertj.core.data.Offset.offset(1e-3));
      assertThat(report.at("/total/blocked_shards").toString()).isEqualTo("[2]");
      assertThat(report.at("/total/shards_without_final_line").toString()).isEqualTo("[1]");
      // The site's view agrees with what the pods said: every article request was counted.
      assertThat(report.at("/total/requests").asLong()).isPositive();
      assertThat(report.at("/global_qps").asDouble()).isEqualTo(20.0);
      assertThat(report.at("/total/budget_share").asDouble()).isPositive();

      // Digdag runs the workflow's _error: task once the scrape has failed for good.
      Workflow.Task error = workflow.errorTask().orElseThrow();
      ShTask notice = r.start(workflow, error, session);
      assertThat(notice.await(Duration.ofMinutes(2))).as(notice.output()).isZero();

      List<WebhookReceiver.Request> posted = r.chat.await(noticesBefore + 1,
          Duration.ofSeconds(30));
      JsonNode body = JSON.readTree(posted.get(noticesBefore).body());
      assertThat(body.path("text").asText()).startsWith("pixiv_scraping failed (session ")
          .contains("2 of 3 shards reported", "1 blocked", "NO_FINAL_LINE");
      assertThat(body.path("blocks").isArray()).isTrue();
      assertThat(task.output() + notice.output()).doesNotContain(r.chat.secret());
    } finally {
      Files.deleteIfExists(reportFile);
    }
  }
}
