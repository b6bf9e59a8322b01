package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.notify.Webhook;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --notify}: post the run's summary to a webhook when the run ends, for runs by hand. The
 * same options as {@code pixiv-launch run}'s (LauncherAgreementTest compares them).
 */
final class NotifyOptions {

  @Option(names = "--notify", paramLabel = "URL|env:NAME|file:PATH",
      description = "Post the run's summary to this webhook when the run ends. The URL is a"
          + " secret: give the name of an environment variable or a file that holds it; it is"
          + " shown masked.")
  String notify;

  @Option(names = "--notify-format", paramLabel = "slack|json", defaultValue = "slack",
      description = "slack: text and blocks, as Slack and compatible chats take them; json: the"
          + " report as data (default: ${DEFAULT-VALUE}).")
  String notifyFormat;

  @Option(names = "--notify-on", paramLabel = "failure|always", defaultValue = "failure",
      description = "When to post: only when the run fails (a non-zero exit), or always"
          + " (default: ${DEFAULT-VALUE}).")
  String notifyOn;

  /** The webhook, with the format and when to use it. */
  record Notice(Webhook webhook, Webhook.Format format, Webhook.When when) {

    /**
     * Sends the summary when the exit code calls for it. Never changes the outcome: a notice
     * not delivered is a warning on {@code err}.
     */
    void send(String command, int exitCode, List<String> summary, ObjectNode report,
        PrintWriter err) {
      if (!when.fires(exitCode)) {
        return;
      }
      String title = "pixiv " + command + (exitCode == 0 ? " succeeded" : " failed (exit "
          + exitCode + ")");
      if (!webhook.send(Webhook.payload(format, title, summary, report))) {
        err.println("pixiv " + command + ": warning: the notice to " + webhook.masked()
            + " was not delivered (see the log); the exit code is the run's");
        err.flush();
      }
    }
  }

  /**
   * Checks the options before the run.
   *
   * @throws ConfigException naming the option (exit 2); the URL is never in the message
   */
  Optional<Notice> check(Function<String, String> env, ProxySettings proxy) {
    Webhook.Format format = choice("--notify-format", notifyFormat, Webhook.Format.class);
    Webhook.When when = choice("--notify-on", notifyOn, Webhook.When.class);
    if (notify == null) {
      return Optional.empty();
    }
    try {
      Webhook webhook = Webhook.resolve("--notify", notify, env);
      if (proxy.isUsed()) {
        // The notice goes out the way the site's requests do: --proxy, HTTPS_PROXY, NO_PROXY.
        webhook = webhook.through(proxy.selector(), proxy::authorization);
      }
      return Optional.of(new Notice(webhook, format, when));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + " must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
          + ", was '" + value + "'", e);
    }
  }
}
