package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.support.notify.Webhook;
import dev.pixivdic.webhook.WebhookReceiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --notify}: the alert posted to a webhook, against a loopback receiver. */
@Timeout(120)
class NotifyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeSite site;
  private WebhookReceiver receiver;

  @BeforeEach
  void start() throws IOException {
    site = new FakeSite();
    receiver = WebhookReceiver.start();
  }

  @AfterEach
  void stop() {
    site.close();
    receiver.close();
  }

  private Cli.Result scrape(String... more) throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, ScrapeCommandTest.urls(6));
    List<String> args = new ArrayList<>(List.of("scrape", "--source", src.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--origin", site.origin(),
        "--qps", "1000", "--concurrency", "4", "--backoff", "10ms", "--progress", "none",
        "--refresh-after", "0s"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private void blockedSite() {
    site.answering((path, nth) -> new FakeSite.Answer(503, FakeSite.CHALLENGE));
  }

  @Test
  void aFailedRunPostsASlackMessageWithTextAndBlocksAndKeepsItsExitCode() throws Exception {
    blockedSite();
    Cli.Result r = scrape("--blocked-limit", "3", "--max-attempts", "1",
        "--notify", receiver.url().toString());

    assertThat(r.code()).isEqualTo(75);
    WebhookReceiver.Request posted = receiver.requests().get(0);
    assertThat(posted.method()).isEqualTo("POST");
    assertThat(posted.contentType()).isEqualTo("application/json");
    JsonNode body = JSON.readTree(posted.body());
    assertThat(body.path("text").asText()).startsWith("pixiv scrape failed (exit 75)")
        .contains("BLOCKED");
    assertThat(body.path("blocks").size()).isEqualTo(2);
    assertThat(body.at("/blocks/1/text/text").asText()).contains("BLOCKED");
    assertThat(r.err()).doesNotContain(receiver.secret());
  }

  @Test
  void aSuccessfulRunPostsNothingByDefaultAndTheReportWithAlwaysAndJson() throws Exception {
    Cli.Result quiet = scrape("--notify", receiver.url().toString());
    assertThat(quiet.code()).as(quiet.err()).isZero();
    assertThat(receiver.requests()).isEmpty();

    Cli.Result r = scrape("--notify", receiver.url().toString(), "--notify-on", "always",
        "--notify-format", "json");
    assertThat(r.code()).isZero();
    JsonNode body = JSON.readTree(receiver.requests().get(0).body());
    assertThat(body.path("title").asText()).isEqualTo("pixiv scrape succeeded");
    assertThat(body.at("/report/items/processed").asLong()).isEqualTo(6);
    assertThat(body.at("/report/exit_code").asInt()).isZero();
  }

  @Test
  void aReceiverAnswering500IsTriedAgainUntilItTakesTheNotice() throws Exception {
    receiver.answer(500, 503);
    blockedSite();
    Cli.Result r = scrape("--blocked-limit", "3", "--max-attempts", "1",
        "--notify", receiver.url().toString());

    assertThat(r.code()).isEqualTo(75);
    assertThat(receiver.requests()).hasSize(Webhook.ATTEMPTS);
    assertThat(receiver.requests()).extracting(WebhookReceiver.Request::body).containsOnly(
        receiver.requests().get(0).body());
    assertThat(r.err()).doesNotContain("not delivered");
  }

  @Test
  void aDeadReceiverNeitherChangesTheExitCodeNorShowsTheUrl() throws Exception {
    String url = receiver.url().toString();
    receiver.close();
    blockedSite();
    Cli.Result r = scrape("--blocked-limit", "3", "--max-attempts", "1", "--notify", url);

    assertThat(r.code()).isEqualTo(75);
    assertThat(r.err()).contains("warning: the notice to http://127.0.0.1:", "/*** was not"
        + " delivered").doesNotContain(receiver.secret());
  }

  @Test
  void aReceiverThatKeepsFailingIsAWarningAndTheExitCodeStaysZero() throws Exception {
    receiver.otherwise(500);
    Cli.Result r = scrape("--notify", receiver.url().toString(), "--notify-on", "always");

    assertThat(r.code()).isZero();
    assertThat(receiver.requests()).hasSize(Webhook.ATTEMPTS);
    assertThat(r.err()).contains("was not delivered").doesNotContain(receiver.secret());
  }

  @Test
  void theUrlComesFromAFileOrAnEnvironmentVariableAndBadOnesExit2WithoutShowingIt()
      throws Exception {
    Path secret = dir.resolve("notify-url");
    Files.writeString(secret, receiver.url() + "\n", StandardCharsets.UTF_8);
    blockedSite();
    Cli.Result r = scrape("--blocked-limit", "3", "--max-attempts", "1",
        "--notify", "file:" + secret);
    assertThat(r.code()).isEqualTo(75);
    assertThat(receiver.requests()).hasSize(1);

    Webhook fromEnv = Webhook.resolve("--notify", "env:HOOK",
        Map.of("HOOK", receiver.url().toString())::get);
    assertThat(fromEnv.masked()).isEqualTo("http://127.0.0.1:" + receiver.url().getPort()
        + "/***");
    assertThat(fromEnv.mask("POST " + receiver.url() + " failed")).doesNotContain(
        receiver.secret());

    Cli.Result unset = scrape("--notify", "env:PIXIV_NOTIFY_URL_THAT_IS_NOT_SET");
    assertThat(unset.code()).isEqualTo(2);
    assertThat(unset.err()).contains("--notify env:PIXIV_NOTIFY_URL_THAT_IS_NOT_SET",
        "not set");
    Cli.Result missing = scrape("--notify", "file:" + dir.resolve("nothing-here"));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the file");
    String notHttp = "ftp://hooks.example/services/" + receiver.secret();
    Cli.Result wrong = scrape("--notify", notHttp);
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).contains("not an http(s) URL").doesNotContain(receiver.secret());
    Cli.Result format = scrape("--notify-format", "teams");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("--notify-format must be one of [slack, json]");
    assertThat(receiver.requests()).as("no run, no notice").hasSize(1);
  }
}
