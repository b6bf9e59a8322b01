package dev.pixivdic.cli;

import dev.pixivdic.core.fetch.HttpFetcher;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.WholeNumberText;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Politeness and HTTP settings shared by every command that fetches. */
final class FetchOptions {

  @Option(names = "--qps", paramLabel = "Q", defaultValue = "0.2",
      description = "Requests per second for this process, all threads together, "
          + "from 0.0001 to 10000 (default: ${DEFAULT-VALUE}, one request every 5 s).")
  double qps;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "1",
      description = "Requests in flight at once, from 1 to 64 (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--origin", paramLabel = "URL", defaultValue = "${env:PIXIV_ORIGIN}",
      converter = OriginConverter.class,
      description = "Send requests for https://dic.pixiv.net to this origin instead (a mirror, "
          + "a caching proxy, a local test server; default: $PIXIV_ORIGIN, else the site).")
  URI origin;

  /** The command this is part of: it tells whether {@code --origin} was given. */
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  @Option(names = "--user-agent", paramLabel = "UA",
      description = "User-Agent header (default: one naming this tool and its contact URL).")
  String userAgent;

  @Option(names = "--ignore-robots",
      description = "Fetch paths that robots.txt disallows for our User-Agent (logged loudly).")
  boolean ignoreRobots;

  @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "5",
      description = "Attempts per page on I/O errors, 429 and 5xx, from 1 to 20 "
          + "(default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "30s",
      converter = DurationConverter.RequestTimeout.class,
      description = "Time limit of one request, from 1s to 10m (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  @Option(names = "--backoff", paramLabel = "DURATION", defaultValue = "2s",
      converter = DurationConverter.Backoff.class,
      description = "First retry delay, from 1ms to 1m, doubled each attempt with jitter up to 5m "
          + "(default: ${DEFAULT-VALUE}).")
  Duration backoff;

  /** Reads {@code --origin}, never echoing what may be a secret in it (Redaction.origin). */
  static final class OriginConverter implements picocli.CommandLine.ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        return new URI(value.strip());
      } catch (java.net.URISyntaxException e) {
        // picocli names the option also when the value is the variable's, its default.
        boolean fromEnvironment = value.equals(System.getenv("PIXIV_ORIGIN"));
        throw new picocli.CommandLine.TypeConversionException("'"
            + dev.pixivdic.support.internal.Redaction.origin(value) + "' is not a URL"
            + (fromEnvironment ? " (the value of $PIXIV_ORIGIN)" : ""));
      }
    }
  }

  /** Where the origin came from, for a message: the option, or the variable it defaults to. */
  private String originSetting() {
    picocli.CommandLine.ParseResult parsed = command == null || command.commandLine() == null
        ? null : command.commandLine().getParseResult();
    if (parsed == null) {
      return "--origin (default $PIXIV_ORIGIN)";
    }
    return parsed.hasMatchedOption("--origin") ? "--origin"
        : "$PIXIV_ORIGIN (the default of --origin)";
  }

  /**
   * An empty origin (most often {@code PIXIV_ORIGIN=} in a pod's spec) is a mistake either way:
   * taken as unset it would send a test setup's requests to the site.
   */
  private void refuseEmptyOrigin() {
    if (origin.toString().isEmpty()) {
      String setting = originSetting();
      throw new ConfigException(setting + " is empty: give a URL such as http://127.0.0.1:8080, "
          + (setting.equals("--origin") ? "or leave the option out"
              : "or unset it to fetch from " + dev.pixivdic.core.ArticleUrl.ORIGIN));
    }
  }

  /**
   * Refuses what {@link #build} would refuse of the origin, the user agent and
   * {@value #SHARED_BY}, for a dry run,
   * which builds no fetcher: it must not say 0 where the run would say 2.
   *
   * @throws ConfigException naming the option
   */
  void check() {
    if (origin != null) {
      refuseEmptyOrigin();
      dev.pixivdic.support.internal.SiteSettings.originProblem(origin).ifPresent(why -> {
        throw new ConfigException(originSetting() + ": " + why);
      });
    }
    if (userAgent != null) {
      dev.pixivdic.support.internal.SiteSettings.userAgentProblem(userAgent).ifPresent(why -> {
        throw new ConfigException("--" + why.replaceFirst("^userAgent", "user-agent"));
      });
    }
    // The run refuses a bad value when it builds its fetcher; its dry run, which builds none,
    // let it through.
    sharedBy(ShardOptions.env.apply(SHARED_BY));
  }

  /**
   * How many processes share the site's budget, and so a robots.txt Crawl-delay: the pods of a
   * Job that run at once, which {@code pixiv-launch} sets (docs/fetching.md).
   */
  static final String SHARED_BY = "PIXIV_QPS_SHARED_BY";

  private static int sharedBy(String value) {
    if (value == null || value.isBlank()) {
      return 1;
    }
    long n = WholeNumberText.parse(value).orElse(0);
    if (n >= 1 && n <= 100_000) {
      return (int) n;
    }
    throw new ConfigException(SHARED_BY + " must be a whole number from 1 to 100000 in ASCII"
        + " digits (the processes that share --qps at once; pixiv-launch sets it), was '"
        + LogText.escaped(value) + "'");
  }

  /**
   * The fetcher, going through {@code proxy}; with {@code deferRetries} a retryable failure is
   * handed back to the run engine (the item waits in its queue, the worker takes the next one).
   */
  HttpFetcher build(ProxySettings proxy, boolean deferRetries) {
    try {
      HttpFetcher.Builder b = HttpFetcher.builder()
          .proxy(proxy)
          .deferRetries(deferRetries)
          .qps(qps)
          .concurrency(concurrency)
          .maxAttempts(maxAttempts)
          .requestTimeout(requestTimeout)
          .backoff(backoff, Duration.ofMinutes(5))
          .respectRobots(!ignoreRobots)
          .budgetSharedBy(sharedBy(ShardOptions.env.apply(SHARED_BY)));
      if (origin != null) {
        refuseEmptyOrigin();
        try {
          b.origin(origin);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(originSetting() + ": " + e.getMessage(), e);
        }
      }
      if (userAgent != null) {
        b.userAgent(userAgent);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      // The builder names its settings; the user wrote options.
      String m = e.getMessage();
      throw new ConfigException(m.startsWith("origin ") || m.startsWith("userAgent ")
          ? "--" + m.replaceFirst("^userAgent", "user-agent") : m, e);
    }
  }
}
