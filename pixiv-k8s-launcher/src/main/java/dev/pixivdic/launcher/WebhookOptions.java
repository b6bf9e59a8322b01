package dev.pixivdic.launcher;

import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.notify.Webhook;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The webhook that receives notices, and the form they take. */
final class WebhookOptions {

  @Option(names = "--notify", paramLabel = "URL|env:NAME|file:PATH",
      description = "The webhook to post to. The URL is a secret: give the name of an"
          + " environment variable or a file that holds it; it is shown masked.")
  String notify;

  @Option(names = "--notify-format", paramLabel = "slack|json", defaultValue = "slack",
      description = "slack: text and blocks, as Slack and compatible chats take them; json: the"
          + " report as data.")
  String notifyFormat;

  /**
   * The webhook, if {@code --notify} was given.
   *
   * @throws IllegalArgumentException naming the option, never the URL (exit 2)
   */
  Optional<Webhook> webhook(Function<String, String> env) {
    format();
    if (notify == null) {
      return Optional.empty();
    }
    Webhook webhook = Webhook.resolve("--notify", notify, env);
    // The notice goes out through the proxy of HTTPS_PROXY / NO_PROXY, as curl would send it;
    // the kubeconfig's proxy-url is the API server's alone.
    ProxySettings proxy = ProxySettings.fromEnvironment(env);
    if (!proxy.isUsed()) {
      return Optional.of(webhook);
    }
    if (proxy.hasCredentials()) {
      ProxySettings.allowBasicInTunnels();
    }
    return Optional.of(webhook.through(proxy.selector(), proxy::authorization));
  }

  Webhook.Format format() {
    return choice("--notify-format", notifyFormat, Webhook.Format.class);
  }

  static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
          + ", was '" + LogText.escaped(value) + "'", e);
    }
  }
}
