package dev.pixivdic.launcher.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.launcher.kube.Redact;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.cli.EnvironmentValue;
import dev.pixivdic.support.cli.LogOptions;
import dev.pixivdic.support.cli.Typos;
import dev.pixivdic.support.internal.BigQuerySettings;
import dev.pixivdic.support.internal.Durations;
import dev.pixivdic.support.internal.Redaction;
import dev.pixivdic.support.internal.SinkSettings;
import dev.pixivdic.support.internal.SiteSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.ParserSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code pixiv scrape} command as its pods will parse it: options, their types and arities,
 * argument groups, parser settings, and the exit codes of {@code pixiv}. Read from
 * {@value #RESOURCE}, which a pixiv-cli test generates from the command's own picocli model and
 * keeps equal to it; picocli itself then parses the launcher's arguments with the rebuilt model,
 * so the launcher refuses exactly what each pod would refuse while parsing its options.
 *
 * <p>Checks that {@code pixiv} makes only when it runs (a source file exists, a table is
 * reachable) are the pod's. Immutable and thread-safe.
 */
// One piece although long: reading the description and rebuilding picocli's model from it are one
// job. The converters, ranges and parser flags are the description's own terms, and a half that
// only read the JSON would hand the other half the same tree.
public final class ScrapeModel {
  /** The description, beside this class on the class path. */
  public static final String RESOURCE = "scrape-model.json";
  /** Names in {@code pixiv}'s exit codes that no retry can fix; the Job fails at once on them. */
  public static final List<String> DO_NOT_RETRY = List.of("USAGE", "PARSE_BREAKAGE");
  /** Name of the code that means "retry later" (blocked by the site). */
  public static final String RETRY_LATER = "TEMPORARY";
  /** Name of the code that means "retry" (a source or sink was unavailable). */
  public static final String RETRY = "UNAVAILABLE";

  /** The boolean parser settings a description carries, by their picocli names. */
  public static final List<String> PARSER_FLAGS =
      List.of(
          "abbreviatedOptionsAllowed",
          "allowOptionsAsOptionParameters",
          "allowSubcommandsAsOptionParameters",
          "aritySatisfiedByAttachedOptionParam",
          "caseInsensitiveEnumValuesAllowed",
          "expandAtFiles",
          "limitSplit",
          "overwrittenOptionsAllowed",
          "posixClusteredShortOptionsAllowed",
          "splitQuotedStrings",
          "stopAtPositional",
          "stopAtUnmatched",
          "toggleBooleanFlags",
          "trimQuotes",
          "unmatchedArgumentsAllowed",
          "unmatchedOptionsAllowedAsOptionParameters",
          "unmatchedOptionsArePositionalParams",
          "useSimplifiedAtFiles");

  /** The option of {@code pixiv scrape} naming its HTTP proxy. */
  private static final String PROXY = "--proxy";
  private static final String ORIGIN = "--origin";
  private static final String USER_AGENT = "--user-agent";
  private static final String LOG_FORMAT = "--log-format";
  private static final String SINK = "--sink";
  private static final String SINK_MODE = "--sink-mode";
  private static final String BIGQUERY_ENDPOINT = "--bigquery-endpoint";
  /** The variable pixiv reads the BigQuery endpoint from when no option gives one. */
  static final String EMULATOR_HOST = "BIGQUERY_EMULATOR_HOST";
  /** The options of {@code pixiv scrape} that may name a {@code bq:} table. */
  private static final List<String> BIGQUERY_TARGETS = List.of("--source", SINK);

  /** The value types a description may name; anything else is refused when it is read. */
  public static final List<String> TYPES = List.of("boolean", "boolean[]", "int", "unsigned_int",
      "long", "double", "string", "path", "file", "uri", "duration", "enum", "list");

  /**
   * Options of {@code pixiv scrape} that the launcher sets for every pod, and what to do instead.
   */
  private static final Map<String, String> LAUNCHER_OWNED = ownedOptions();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, BiConsumer<ParserSpec, Boolean>> SETTERS = setters();

  private final JsonNode description;
  private final Map<String, Integer> exitCodes;
  /** The numeric ranges {@code pixiv} checks before it runs, by every name of the option. */
  private final Map<String, JsonNode> ranges;

  private ScrapeModel(JsonNode description) {
    this.description = description;
    Map<String, Integer> codes = new LinkedHashMap<>();
    description
        .path("exit_codes")
        .properties()
        .forEach(e -> codes.put(e.getKey(), e.getValue().asInt()));
    this.exitCodes = Collections.unmodifiableMap(codes);
    Map<String, JsonNode> r = new LinkedHashMap<>();
    List<JsonNode> all = new ArrayList<>();
    description.path("options").forEach(all::add);
    description.path("groups").forEach(g -> g.path("options").forEach(all::add));
    for (JsonNode o : all) {
      if (o.has("range")) {
        o.path("names").forEach(n -> r.put(n.asText(), o));
      }
    }
    this.ranges = Collections.unmodifiableMap(r);
    for (String name : DO_NOT_RETRY) {
      exitCode(name);
    }
    exitCode(RETRY_LATER);
    exitCode(RETRY);
    spec(); // fail now, not on the first check, when the description names what the launcher cannot
            // rebuild
  }

  /** The description shipped with the launcher. */
  public static ScrapeModel bundled() {
    return Bundled.MODEL;
  }

  private static final class Bundled {
    static final ScrapeModel MODEL = load();

    private static ScrapeModel load() {
      try (InputStream in = ScrapeModel.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the launcher's class path");
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }

  /**
   * Reads a description.
   *
   * @throws IllegalArgumentException when it is not one, or names a type, parser setting or
   *     construct the launcher cannot rebuild (teach this class first)
   */
  public static ScrapeModel parse(String json) {
    JsonNode tree;
    try {
      tree = JSON.readTree(requireNonNull(json, "json"));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a scrape model description: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("not a scrape model description: not a JSON object");
    }
    return new ScrapeModel(tree);
  }

  /**
   * {@code pixiv}'s exit codes by their names in its source ({@code USAGE}, {@code
   * PARSE_BREAKAGE}...).
   */
  public Map<String, Integer> exitCodes() {
    return exitCodes;
  }

  /**
   * The code {@code pixiv} exits with for {@code name}.
   *
   * @throws IllegalArgumentException when the description has no such code
   */
  public int exitCode(String name) {
    Integer code = exitCodes.get(name);
    if (code == null) {
      throw new IllegalArgumentException(
          "the scrape model has no exit code " + name + ", only " + exitCodes.keySet());
    }
    return code;
  }

  /**
   * The codes no retry can fix ({@link #DO_NOT_RETRY}), ascending: the pod failure policy's FailJob
   * values.
   */
  public List<Integer> doNotRetryExitCodes() {
    return DO_NOT_RETRY.stream().map(this::exitCode).sorted().distinct().toList();
  }

  /**
   * Why {@code pixiv scrape} would refuse these arguments in every pod, if it would.
   *
   * @param launcherArgs what the launcher passes first ({@code --shards N --qps Q})
   * @param userArgs what the user wrote after {@code --}
   * @return a message for the user, naming the argument and what to do; empty when pixiv would
   *     accept them
   */
  public Optional<String> refusal(List<String> launcherArgs, List<String> userArgs) {
    return refusal(launcherArgs, userArgs, Map.of());
  }

  /**
   * As {@link #refusal(List, List)}, also for the pods' environment ({@code --env}): a
   * {@code PIXIV_LOG_FORMAT} that pixiv would refuse, unless the arguments give
   * {@code --log-format}, which replaces it.
   */
  public Optional<String> refusal(List<String> launcherArgs, List<String> userArgs,
      Map<String, String> env) {
    return refusal(launcherArgs, userArgs, env, "--env");
  }

  /**
   * As {@link #refusal(List, List, Map)}, for an environment that {@code envSource} gives (the
   * messages name it: {@code --env}, or a {@code --job-file}'s container): also a
   * {@code PIXIV_ORIGIN} or {@code BIGQUERY_EMULATOR_HOST} that pixiv would refuse, or that
   * carries a secret the Job's spec would show.
   */
  public Optional<String> refusal(List<String> launcherArgs, List<String> userArgs,
      Map<String, String> env, String envSource) {
    for (String arg : userArgs) {
      for (Map.Entry<String, String> owned : LAUNCHER_OWNED.entrySet()) {
        if (arg.equals(owned.getKey()) || arg.startsWith(owned.getKey() + "=")) {
          return Optional.of(owned.getKey() + " cannot be given after --: " + owned.getValue());
        }
      }
      if (arg.startsWith("@") && parserFlag("expandAtFiles")) {
        return Optional.of(
            "'"
                + arg
                + "' after --: pixiv would read arguments from that file in each pod"
                + " (an @-file); write the arguments out instead");
      }
    }
    List<String> all = new ArrayList<>(launcherArgs);
    all.addAll(userArgs);
    ParseResult parsed;
    try {
      parsed = new CommandLine(spec()).parseArgs(all.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      // A mistyped option gets pixiv's own "did you mean" hint.
      // picocli reports a missing required option before an unknown one, so look at them all.
      List<String> typos = Typos.unknown(e.getCommandLine().getCommandSpec(), userArgs);
      // A second pair after one --env (--env A=1 B=SECRET) reaches these arguments as a word.
      return refusedByPixiv(Redaction.unknownValuesMasked(
          Redact.urlsIn(typos.isEmpty() ? e.getMessage() : String.join("; ", typos)), userArgs,
          e.getCommandLine().getCommandSpec().optionsMap()::containsKey));
    }
    if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
      return Optional.of(
          "help or version options after -- would make every pod print them and exit 0"
              + " without scraping; leave them out");
    }
    for (String owned : LAUNCHER_OWNED.keySet()) {
      // Another spelling of a launcher-owned option (a cluster, an abbreviation) given by the user.
      OptionSpec option = parsed.commandSpec().findOption(owned);
      long byLauncher = launcherArgs.stream().filter(owned::equals).count();
      if (option != null && parsed.matchedOption(owned) != null
          && parsed.matchedOption(owned).originalStringValues().size() > byLauncher) {
        return Optional.of(owned + " cannot be given after --: " + LAUNCHER_OWNED.get(owned));
      }
    }
    if (parsed.matchedOption(LOG_FORMAT) == null) {
      // The pods' environment may hold secrets: the message never shows a value of it.
      Optional<String> format = EnvironmentValue.problemNotShown("PIXIV_LOG_FORMAT",
          env.get("PIXIV_LOG_FORMAT"), LogOptions.FORMATS);
      if (format.isPresent()) {
        return Optional.of(envSource + ": pixiv would refuse it and every pod would exit 2: "
            + format.get());
      }
    }
    Optional<String> proxy = proxyRefusal(parsed);
    if (proxy.isPresent()) {
      return proxy;
    }
    if (parsed.matchedOption(SINK_MODE) != null) {
      // The last value of each wins in pixiv; no --sink is pixiv's default, a file.
      Optional<String> sinkMode = SinkSettings.sinkModeProblem(
          parsed.matchedOptionValue(SINK_MODE, ""),
          parsed.matchedOptionValue(SINK, SinkSettings.DEFAULT_SINK));
      if (sinkMode.isPresent()) {
        return refusedByPixiv(sinkMode.get());
      }
    }
    Optional<String> site = siteRefusal(parsed, env, envSource);
    if (site.isPresent()) {
      return site;
    }
    Optional<String> bigQuery = bigQueryRefusal(parsed, env, envSource);
    return bigQuery.isPresent() ? bigQuery : outOfRange(parsed, launcherArgs);
  }

  /**
   * Why the origin ({@code --origin}, else {@code PIXIV_ORIGIN} among {@code --env}) or the
   * user agent cannot go into the pods: {@code pixiv} refuses them by the same rules
   * ({@link SiteSettings}), so every pod would exit 2, and an origin's user info or query (a
   * token) would be shown in the Job.
   */
  private Optional<String> siteRefusal(ParseResult parsed, Map<String, String> env,
      String envSource) {
    List<String> origins = parsed.matchedOption(ORIGIN) == null ? List.of()
        : parsed.matchedOption(ORIGIN).originalStringValues();
    for (String origin : origins) {
      Optional<String> why = SiteSettings.originProblem(origin);
      if (why.isPresent()) {
        return refusedByPixiv(ORIGIN + " after --: " + why.get());
      }
    }
    String fromEnv = env.get("PIXIV_ORIGIN");
    if (origins.isEmpty() && fromEnv != null) {
      // pixiv refuses an empty one too: taken as unset, a test setup would fetch from the site.
      Optional<String> why = fromEnv.isBlank()
          ? Optional.of("it is empty; give a URL, or leave it out to fetch from the site")
          : SiteSettings.originProblem(fromEnv);
      if (why.isPresent()) {
        return Optional.of(envSource + ": pixiv would refuse it and every pod would exit 2:"
            + " PIXIV_ORIGIN: " + why.get());
      }
    }
    if (parsed.matchedOption(USER_AGENT) != null) {
      for (String ua : parsed.matchedOption(USER_AGENT).originalStringValues()) {
        Optional<String> why = SiteSettings.userAgentProblem(ua);
        if (why.isPresent()) {
          return refusedByPixiv(USER_AGENT + " after --: " + why.get());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Why the BigQuery settings cannot go into the pods: a {@code bq:} table of {@code --source} or
   * {@code --sink} that {@code pixiv} refuses by BigQuery's naming rules, or an endpoint
   * ({@code --bigquery-endpoint}, else {@code BIGQUERY_EMULATOR_HOST} in the environment) that it
   * refuses ({@link BigQuerySettings}, the rules {@code pixiv} applies): one with a user,
   * password, query or fragment would also show that secret in the Job.
   */
  private Optional<String> bigQueryRefusal(ParseResult parsed, Map<String, String> env,
      String envSource) {
    boolean usesBigQuery = false;
    for (String option : BIGQUERY_TARGETS) {
      for (String value : given(parsed, option)) {
        if (SinkSettings.isBigQuery(value)) {
          usesBigQuery = true;
          Optional<String> why = BigQuerySettings.tableProblem(value);
          if (why.isPresent()) {
            return refusedByPixiv(option + ": " + why.get());
          }
        }
      }
    }
    List<String> endpoints = given(parsed, BIGQUERY_ENDPOINT);
    for (String endpoint : endpoints) {
      Optional<String> why = BigQuerySettings.endpointProblem(endpoint);
      if (why.isPresent()) {
        return usesBigQuery ? refusedByPixiv(BIGQUERY_ENDPOINT + " after --: " + why.get())
            : Optional.of(BIGQUERY_ENDPOINT + " after --: pixiv refuses it whenever it uses"
                + " BigQuery, and the Job's container arguments would show it: " + why.get());
      }
    }
    String fromEnv = env.get(EMULATOR_HOST);
    if (endpoints.isEmpty() && fromEnv != null && (usesBigQuery || !fromEnv.isBlank())) {
      Optional<String> why = BigQuerySettings.endpointProblem(fromEnv);
      if (why.isPresent()) {
        return Optional.of(envSource + ": pixiv would refuse it"
            + (usesBigQuery ? " and every pod would exit 2" : " whenever it uses BigQuery,"
                + " and the Job's spec would show it")
            + ": " + EMULATOR_HOST + ": " + why.get());
      }
    }
    return Optional.empty();
  }

  /** Every value given to {@code option}, in order; none when it is not given. */
  private static List<String> given(ParseResult parsed, String option) {
    OptionSpec o = parsed.matchedOption(option);
    return o == null ? List.of() : o.originalStringValues();
  }

  /**
   * Why a {@code --proxy} after {@code --} cannot go into the pods: {@code pixiv} would refuse it
   * (its rules are {@link ProxySettings}'), or it carries credentials, which the Job's container
   * arguments would show to whoever may read the Job.
   */
  private Optional<String> proxyRefusal(ParseResult parsed) {
    OptionSpec option = parsed.matchedOption(PROXY);
    if (option == null) {
      return Optional.empty();
    }
    // Every value given, not only the one that wins: each goes into the container arguments.
    for (String value : option.originalStringValues()) {
      Optional<String> refused = proxyRefusal(value);
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  private Optional<String> proxyRefusal(String value) {
    ProxySettings proxy;
    try {
      proxy = ProxySettings.none().withProxy(value);
    } catch (IllegalArgumentException e) {
      return refusedByPixiv(e.getMessage());
    }
    if (hasCredentials(proxy)) {
      return Optional.of(PROXY + " " + ProxySettings.mask(value.strip()) + " after -- carries "
          + CREDENTIALS + ", which the Job's container arguments would show"
          + useSecret("HTTPS_PROXY"));
    }
    return Optional.empty();
  }

  /** What a proxy URL with user-info carries, as the messages say it. */
  static final String CREDENTIALS = "credentials (a password, or a user alone, often a token)";

  /**
   * Whether the proxy for the site has user-info: a password, or a user alone, which many proxy
   * services take as the token ({@code http://TOKEN@proxy}), so it is masked as a password is.
   */
  static boolean hasCredentials(ProxySettings proxy) {
    return proxy.proxyFor(URI.create("https://dic.pixiv.net/"))
        .flatMap(ProxySettings.Endpoint::user).isPresent();
  }

  /** What to do with a proxy password instead of writing it into the Job: the advice's end. */
  static String useSecret(String variable) {
    return " to anyone who may read the Job or its pods. Keep the proxy URL in a Secret under the"
        + " key " + variable + " (kubectl create secret generic NAME --from-literal=" + variable
        + "=URL) and pass --env-from-secret NAME instead: pixiv reads " + variable;
  }

  /**
   * The first option whose value {@code pixiv} refuses before it runs, for being outside the
   * option's range (NaN is outside every range), as {@code pixiv} says it.
   */
  private Optional<String> outOfRange(ParseResult parsed, List<String> launcherArgs) {
    for (OptionSpec o : parsed.matchedOptions()) {
      if (!(o.getValue() instanceof Number n)) {
        continue;
      }
      List<String> given = o.originalStringValues();
      String shown = given.isEmpty() ? n.toString() : given.get(given.size() - 1);
      Optional<String> refused = outOfRange(o.longestName(), n.doubleValue(), shown);
      if (refused.isEmpty()) {
        continue;
      }
      String what = refused.get();
      if (LAUNCHER_OWNED.containsKey(o.longestName()) && launcherArgs.contains(o.longestName())) {
        // The launcher's own value (--qps over --parallelism, --shards) is what does not fit.
        return Optional.of("pixiv-launch would pass every pod " + o.longestName() + " " + shown
            + ", which pixiv scrape refuses (" + what + "); choose pixiv-launch's --qps,"
            + " --parallelism and --shards so that it fits");
      }
      return refusedByPixiv(what);
    }
    return Optional.empty();
  }

  /**
   * Why {@code pixiv scrape} would refuse {@code value} for {@code option} by its range, as it
   * says it ({@code --shards must be from 1 to 100000, was N}); empty when it fits or the option
   * has no range.
   */
  public Optional<String> outOfRange(String option, long value) {
    return outOfRange(option, value, String.valueOf(value));
  }

  private Optional<String> outOfRange(String option, double value, String shown) {
    JsonNode d = ranges.get(option);
    if (d == null || (value >= d.path("min").asDouble() && value <= d.path("max").asDouble())) {
      return Optional.empty();
    }
    return Optional.of(option + " must be " + d.path("range").asText() + ", was " + shown);
  }

  /** Why every pod would exit with the usage code: {@code pixiv scrape} refuses its arguments. */
  private Optional<String> refusedByPixiv(String why) {
    return Optional.of("pixiv scrape would refuse the arguments after -- and every pod would exit "
        + exitCode("USAGE") + ": " + why);
  }

  private boolean parserFlag(String name) {
    return description.path("parser").path(name).asBoolean(false);
  }

  /** Rebuilds the command's picocli model from the description. */
  private CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name(description.path("command").asText("scrape"));
    JsonNode parser = description.path("parser");
    parser.properties().forEach(e -> {
      String key = e.getKey();
      if (key.equals("separator")) {
        spec.parser().separator(e.getValue().asText());
      } else if (key.equals("endOfOptionsDelimiter")) {
        spec.parser().endOfOptionsDelimiter(e.getValue().asText());
      } else if (SETTERS.containsKey(key)) {
        SETTERS.get(key).accept(spec.parser(), e.getValue().asBoolean());
      } else {
        throw new IllegalArgumentException(RESOURCE + ": unknown parser setting '" + key + "'");
      }
    });
    // The launcher never reads @-files itself: refusal() turns them away when pixiv would read
    // them.
    spec.parser().expandAtFiles(false);
    for (JsonNode option : description.path("options")) {
      spec.addOption(option(option));
    }
    for (JsonNode group : description.path("groups")) {
      ArgGroupSpec.Builder g = ArgGroupSpec.builder()
          .exclusive(group.path("exclusive").asBoolean(true))
          .multiplicity(group.path("multiplicity").asText("0..1"));
      if (group.has("groups")) {
        throw new IllegalArgumentException(RESOURCE + ": nested argument groups are not supported");
      }
      for (JsonNode option : group.path("options")) {
        g.addArg(option(option));
      }
      spec.addArgGroup(g.build());
    }
    for (JsonNode positional : description.path("positionals")) {
      spec.addPositional(PositionalParamSpec.builder()
          .index(positional.path("index").asText())
          .arity(positional.path("arity").asText("1"))
          .type(String.class)
          .required(positional.path("required").asBoolean(false))
          .build());
    }
    return spec;
  }

  private OptionSpec option(JsonNode o) {
    List<String> names = new ArrayList<>();
    o.path("names").forEach(n -> names.add(n.asText()));
    if (names.isEmpty()) {
      throw new IllegalArgumentException(RESOURCE + ": an option without names");
    }
    String name = names.get(names.size() - 1);
    OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new))
        .arity(o.path("arity").asText("1"))
        .required(o.path("required").asBoolean(false))
        .usageHelp(o.path("usage_help").asBoolean(false))
        .versionHelp(o.path("version_help").asBoolean(false))
        .negatable(o.path("negatable").asBoolean(false))
        .paramLabel(o.path("param_label").asText("VALUE"));
    if (o.hasNonNull("split")) {
      b.splitRegex(o.get("split").asText());
    }
    if (o.hasNonNull("fallback")) {
      b.fallbackValue(o.get("fallback").asText());
    }
    String type = o.path("type").asText("");
    switch (type) {
      case "boolean" -> b.type(boolean.class);
      case "boolean[]" -> b.type(boolean[].class);
      case "int" -> b.type(int.class).converters(dev.pixivdic.support.cli.WholeNumbers.INT);
      case "unsigned_int" -> b.type(int.class)
          .converters(new dev.pixivdic.support.cli.WholeNumbers.Unsigned());
      case "long" -> b.type(long.class).converters(dev.pixivdic.support.cli.WholeNumbers.LONG);
      case "double" -> b.type(double.class).converters(PLAIN_NUMBER);
      case "string" -> b.type(String.class);
      case "path" -> b.type(Path.class);
      case "file" -> b.type(Path.class).converters(new dev.pixivdic.support.cli.FileName());
      case "uri" -> b.type(URI.class).converters(uri(o.path("strip").asBoolean(false)));
      case "duration" -> b.type(String.class).converters(duration(name, o));
      case "enum" -> b.type(String.class).converters(
          choices(name, o.path("values"), parserFlag("caseInsensitiveEnumValuesAllowed")));
      case "list" -> b.type(List.class).auxiliaryTypes(element(name, o.path("element").asText("")));
      default ->
          throw new IllegalArgumentException(
              RESOURCE
                  + ": option "
                  + name
                  + " has type '"
                  + type
                  + "', which the launcher cannot check; known types: "
                  + TYPES);
    }
    if (o.has("choices")) {
      // Values a setter method checks while parsing, e.g. --log-format text|json.
      b.type(String.class)
          .converters(choices(name, o.get("choices"), o.path("ignore_case").asBoolean(false)));
    }
    return b.build();
  }

  /**
   * A converter accepting what {@code pixiv}'s duration converter accepts: the shared grammar
   * ({@link Durations}, one table keeps the two copies equal) within the option's range.
   */
  private static CommandLine.ITypeConverter<String> duration(String option, JsonNode o) {
    Duration min = bound(option, o, "min", Duration.ZERO);
    Duration max = bound(option, o, "max", Duration.ofSeconds(Long.MAX_VALUE));
    return v -> {
      Duration d;
      try {
        d = Durations.parse(v);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new CommandLine.TypeConversionException(
            "'"
                + v
                + "' is out of range: the duration must"
                + " be from "
                + o.path("min").asText("0s")
                + " to "
                + o.path("max").asText("any length"));
      }
      return v;
    };
  }

  private static Duration bound(String option, JsonNode o, String field, Duration absent) {
    if (!o.hasNonNull(field)) {
      return absent;
    }
    try {
      return Durations.parse(o.get(field).asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          RESOURCE + ": option " + option + " has a bad " + field, e);
    }
  }

  /**
   * A URI as {@code pixiv} reads it (optionally without surrounding blanks); a refusal shows the
   * value by its scheme alone, as {@code pixiv} does ({@link Redaction#origin}).
   */
  private static CommandLine.ITypeConverter<URI> uri(boolean strip) {
    return v -> {
      try {
        return new URI(strip ? v.strip() : v);
      } catch (java.net.URISyntaxException e) {
        throw new CommandLine.TypeConversionException("'" + Redaction.origin(v)
            + "' is not a URL");
      }
    };
  }

  private static Class<?> element(String option, String type) {
    return switch (type) {
      case "string" -> String.class;
      case "int" -> Integer.class;
      case "long" -> Long.class;
      case "double" -> Double.class;
      case "path" -> Path.class;
      case "uri" -> URI.class;
      default ->
          throw new IllegalArgumentException(
              RESOURCE
                  + ": option "
                  + option
                  + " is a list of '"
                  + type
                  + "', which the launcher cannot check");
    };
  }

  /**
   * A decimal number as {@code pixiv} reads one: picocli's reading without Java's type suffixes
   * and hexadecimal forms ({@code 7d} is not seven). The agreement test holds the two equal.
   */
  private static final CommandLine.ITypeConverter<Double> PLAIN_NUMBER = v -> {
    if (!java.util.regex.Pattern.matches(
        "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(NaN|Infinity)", v.strip())) {
      throw new CommandLine.TypeConversionException("'" + v + "' is not a number");
    }
    return Double.valueOf(v.strip());
  };

  /** A converter accepting one of {@code values}, ignoring case when the command does. */
  private static CommandLine.ITypeConverter<String> choices(String option, JsonNode values,
      boolean ignoreCase) {
    Set<String> allowed = new LinkedHashSet<>();
    values.forEach(v -> allowed.add(v.asText()));
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException(RESOURCE + ": option " + option + " lists no values");
    }
    return v -> {
      for (String a : allowed) {
        if (a.equals(v)
            || (ignoreCase && a.toLowerCase(Locale.ROOT).equals(v.toLowerCase(Locale.ROOT)))) {
          return v;
        }
      }
      throw new CommandLine.TypeConversionException(
          "expected one of "
              + allowed
              + (ignoreCase ? " (case-insensitive)" : "")
              + " but was '"
              + v
              + "'");
    };
  }

  private static Map<String, String> ownedOptions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "--qps",
        "it is the whole Job's request budget, which pixiv-launch divides among the pods that run"
            + " at once; pass it before --, as pixiv-launch --qps Q");
    m.put(
        "--shards",
        "it is the Job's number of indexes, which pixiv-launch passes to every pod; pass it"
            + " before --, as pixiv-launch --shards N");
    m.put("--shard", "each pod's shard is its Job index; pass the number of shards before --, as"
        + " pixiv-launch --shards N");
    m.put("--notify", "the launcher posts one Job report for all pods rather than one notice"
        + " per pod; pass it before --, as pixiv-launch run --notify WEBHOOK");
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, BiConsumer<ParserSpec, Boolean>> setters() {
    Map<String, BiConsumer<ParserSpec, Boolean>> m = new LinkedHashMap<>();
    m.put("abbreviatedOptionsAllowed", ParserSpec::abbreviatedOptionsAllowed);
    m.put("allowOptionsAsOptionParameters", ParserSpec::allowOptionsAsOptionParameters);
    m.put("allowSubcommandsAsOptionParameters", ParserSpec::allowSubcommandsAsOptionParameters);
    m.put("aritySatisfiedByAttachedOptionParam", ParserSpec::aritySatisfiedByAttachedOptionParam);
    m.put("caseInsensitiveEnumValuesAllowed", ParserSpec::caseInsensitiveEnumValuesAllowed);
    m.put("expandAtFiles", ParserSpec::expandAtFiles);
    m.put("limitSplit", ParserSpec::limitSplit);
    m.put("overwrittenOptionsAllowed", ParserSpec::overwrittenOptionsAllowed);
    m.put("posixClusteredShortOptionsAllowed", ParserSpec::posixClusteredShortOptionsAllowed);
    m.put("splitQuotedStrings", ParserSpec::splitQuotedStrings);
    m.put("stopAtPositional", ParserSpec::stopAtPositional);
    m.put("stopAtUnmatched", ParserSpec::stopAtUnmatched);
    m.put("toggleBooleanFlags", ParserSpec::toggleBooleanFlags);
    m.put("trimQuotes", ParserSpec::trimQuotes);
    m.put("unmatchedArgumentsAllowed", ParserSpec::unmatchedArgumentsAllowed);
    m.put(
        "unmatchedOptionsAllowedAsOptionParameters",
        ParserSpec::unmatchedOptionsAllowedAsOptionParameters);
    m.put("unmatchedOptionsArePositionalParams", ParserSpec::unmatchedOptionsArePositionalParams);
    m.put("useSimplifiedAtFiles", ParserSpec::useSimplifiedAtFiles);
    if (!m.keySet().equals(new LinkedHashSet<>(PARSER_FLAGS))) {
      throw new IllegalStateException("PARSER_FLAGS and the setters differ");
    }
    return Collections.unmodifiableMap(m);
  }
}
