package dev.pixivdic.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pixivdic.launcher.manifest.JobSpec;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import dev.pixivdic.support.cli.WholeNumbers;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.Redaction;
import dev.pixivdic.support.internal.TextFiles;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** Options shared by {@code run} and {@code manifest}. */
final class JobOptions {
  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "Job name; deterministic so a retry re-attaches.")
  String name;

  @Option(names = "--namespace", paramLabel = "NAMESPACE",
      description = "Namespace (default: the --job-file's, else the kubeconfig context's, else"
          + " default).")
  String namespace;

  @Option(names = "--service-account", paramLabel = "NAME",
      description = "Service account of the pods.")
  String serviceAccount;

  @Option(names = "--image", required = true, paramLabel = "IMAGE",
      description = "Image of the pixiv command, by tag or digest.")
  String image;

  @Option(names = "--image-pull-policy", defaultValue = "IfNotPresent", paramLabel = "POLICY",
      description = "Always, IfNotPresent or Never.")
  String imagePullPolicy;

  @Option(names = "--shards", defaultValue = "1", paramLabel = "N",
      converter = WholeNumbers.Unsigned.class,
      description = "Number of shards (Job completions).")
  int shards;

  @Option(names = "--parallelism", paramLabel = "N", converter = WholeNumbers.Unsigned.class,
      description = "Pods running at once (default: --shards).")
  Integer parallelism;

  @Option(names = "--qps", defaultValue = "0.2", paramLabel = "RATE",
      description = "Global request budget of the whole Job against the site, in requests a"
          + " second, from 0.0001 to 10000 (0.2 is one request every 5 s); each pod gets"
          + " qps/parallelism, which must be at least 0.0001.")
  BigDecimal qps;

  @Option(names = "--backoff-limit-per-index", defaultValue = "2", paramLabel = "N",
      description = "Retries of each index.")
  int backoffLimitPerIndex;

  @Option(names = "--active-deadline", defaultValue = "6h", paramLabel = "DURATION",
      converter = DurationConverter.ActiveDeadline.class,
      description = "Job-level deadline, from 1s to 30d (90s, 30m, 1h30m, 7d, PT6H).")
  Duration activeDeadline;

  @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION",
      converter = DurationConverter.Ttl.class,
      description = "ttlSecondsAfterFinished, a backstop if the launcher dies, from 0s to 30d.")
  Duration ttl;

  @Option(names = "--cpu", defaultValue = "500m", paramLabel = "QUANTITY",
      description = "CPU request and limit.")
  String cpu;

  @Option(names = "--memory", defaultValue = "512Mi", paramLabel = "QUANTITY",
      description = "Memory request and limit; the image's JVM keeps peak RSS under 80%% of it "
          + "(docs/performance.md).")
  String memory;

  // KEY=VALUE options are lists of entries, not picocli maps: picocli quoted a map's value that
  // has no '=' in its error, and warned of quotes in one on stderr, and a value of --env may be
  // a secret. Their entries are split here, at the first '=', and taken as given.
  @Option(names = "--env", paramLabel = "NAME=VALUE", showDefaultValue = Visibility.NEVER,
      converter = KeyValue.class,
      description = "Environment variable of the pods (repeatable, each name once).")
  List<Map.Entry<String, String>> env = new ArrayList<>();

  @Option(names = "--env-from-secret", paramLabel = "SECRET", showDefaultValue = Visibility.NEVER,
      description = "Secret whose keys become environment variables (repeatable).")
  List<String> envFromSecrets = new ArrayList<>();

  @Option(names = "--label", paramLabel = "KEY=VALUE", showDefaultValue = Visibility.NEVER,
      converter = KeyValue.class,
      description = "Extra label on the Job and pods (repeatable, each key once).")
  List<Map.Entry<String, String>> labels = new ArrayList<>();

  @Option(names = "--node-selector", paramLabel = "KEY=VALUE", showDefaultValue = Visibility.NEVER,
      converter = KeyValue.class,
      description = "Node selector of the pods (repeatable, each key once).")
  List<Map.Entry<String, String>> nodeSelector = new ArrayList<>();

  @Option(names = "--no-service-account-token",
      description = "Do not mount the service-account token.")
  boolean noServiceAccountToken;

  @Option(names = "--job-file", paramLabel = "FILE",
      description = "A Job template (YAML or JSON) the options are applied over.")
  Path jobFile;

  @Parameters(paramLabel = "SCRAPE_ARGS", showDefaultValue = Visibility.NEVER,
      description = "Arguments for 'pixiv scrape', after --.")
  List<String> scrapeArgs = new ArrayList<>();

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  /**
   * Refuses words that came before {@code --}, where picocli puts them among the scrape
   * arguments: a second value after an option that takes one ({@code --env A=1 B=2}). Their
   * refusal said "after --" of a word given before it. A {@code WORD=VALUE} is shown without
   * its value.
   *
   * @throws IllegalArgumentException naming the first such word (exit 2)
   */
  private void nothingBeforeEnd() {
    ParseResult parsed = command == null ? null : command.commandLine().getParseResult();
    if (parsed == null) {
      return;
    }
    List<String> args = parsed.expandedArgs();
    int end = args.indexOf("--");
    int before = scrapeArgs.size() - (end < 0 ? 0 : args.size() - end - 1);
    if (before <= 0) {
      return;
    }
    String word = scrapeArgs.get(0);
    String shown = Redaction.unlessKeyMaterial(Redaction.unknownValuesMasked(word,
        List.of(word), command.optionsMap()::containsKey));
    throw new IllegalArgumentException("'" + LogText.escaped(shown, 200) + "' came before --,"
        + " where pixiv-launch takes its own options only, each with one value (--env A=1 --env"
        + " B=2); the arguments for pixiv scrape go after --");
  }

  /**
   * Refuses a key given twice to {@code option} ({@code --env}, {@code --label},
   * {@code --node-selector}): the Job would keep the last value without a word.
   *
   * @throws IllegalArgumentException naming it, not its values (exit 2)
   */
  private static void eachKeyOnce(String option, List<Map.Entry<String, String>> entries) {
    Set<String> keys = new HashSet<>();
    for (Map.Entry<String, String> given : entries) {
      if (!keys.add(given.getKey())) {
        throw new IllegalArgumentException(option + " " + LogText.escaped(given.getKey())
            + " is given twice; give each " + (option.equals("--env") ? "name" : "key")
            + " once");
      }
    }
  }

  JobSpec toSpec(Optional<String> defaultNamespace) {
    nothingBeforeEnd();
    eachKeyOnce("--env", env);
    eachKeyOnce("--label", labels);
    eachKeyOnce("--node-selector", nodeSelector);
    return new JobSpec(
        name,
        Optional.ofNullable(namespace).or(() -> defaultNamespace),
        Optional.ofNullable(serviceAccount),
        image,
        imagePullPolicy,
        shards,
        parallelism == null ? shards : parallelism,
        qps,
        backoffLimitPerIndex,
        activeDeadline,
        ttl,
        cpu,
        memory,
        KeyValue.map(env),
        envFromSecrets,
        KeyValue.map(labels),
        KeyValue.map(nodeSelector),
        !noServiceAccountToken,
        scrapeArgs);
  }

  /**
   * The manifest in {@code --namespace}, else in the {@code --job-file} template's, else in
   * {@code namespace}, the one of the connection's {@code source} (a kubeconfig context, the
   * pod's service account): the order {@code manifest} shows and {@code kubectl} follows.
   */
  ObjectNode manifest(String namespace, String source) throws IOException {
    Optional<ObjectNode> template = template();
    Optional<String> fromTemplate = templateNamespace(template);
    if (this.namespace == null && fromTemplate.isEmpty() && !JobSpec.isNamespace(namespace)) {
      throw new IllegalArgumentException("the namespace of " + source
          + " must be a DNS-1123 label, was '" + LogText.escaped(namespace)
          + "'; fix it there or pass --namespace");
    }
    return ManifestBuilder.build(toSpec(fromTemplate.or(() -> Optional.of(namespace))), template);
  }

  /** The manifest without a connection: in {@code --namespace}, else the template's, if any. */
  ObjectNode manifest(Optional<String> defaultNamespace) throws IOException {
    Optional<ObjectNode> template = template();
    return ManifestBuilder.build(toSpec(templateNamespace(template).or(() -> defaultNamespace)),
        template);
  }

  /**
   * The namespace the template names, unless {@code --namespace} is given. A run put the Job in
   * the kubeconfig's namespace where {@code manifest} showed the template's.
   */
  private Optional<String> templateNamespace(Optional<ObjectNode> template) {
    if (namespace != null || template.isEmpty()) {
      return Optional.empty();
    }
    JsonNode ns = template.get().path("metadata").path("namespace");
    if (ns.isMissingNode() || ns.isNull()) {
      return Optional.empty();
    }
    if (!ns.isTextual() || !JobSpec.isNamespace(ns.asText())) {
      throw new IllegalArgumentException("the namespace of --job-file " + jobFile
          + " must be a DNS-1123 label, was '"
          + LogText.escaped(ns.isTextual() ? ns.asText() : ns.toString())
          + "'; fix it there or pass --namespace");
    }
    return Optional.of(ns.asText());
  }

  /**
   * Refuses what the YAML reader would read otherwise than YAML means it: an alias
   * ({@code *name}), which it takes for the text of the anchor's name ({@code value: *tz} for
   * {@code tz}), not for the anchored value; a merge key ({@code <<: ...}), which it keeps as a
   * key named {@code <<} (a quoted {@code "<<"} is that key, and fine); and a second document
   * (after {@code ---}), which it ignores. An empty document after the Job's is none.
   */
  private void refuseWhatTheReaderMisreads(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(SETTINGS_FILE_BYTES);
    Deque<Frame> open = new ArrayDeque<>();
    int documents = 0;
    Mark documentStart = null;
    try {
      for (Event event : new Yaml(options).parse(new StringReader(yaml))) {
        if (event instanceof DocumentStartEvent) {
          documents++;
          documentStart = event.getStartMark();
        } else if (event instanceof AliasEvent alias) {
          throw new IllegalArgumentException("--job-file " + jobFile + ", line "
              + (alias.getStartMark().getLine() + 1) + ": the alias *"
              + LogText.escaped(alias.getAnchor(), 100) + " is not supported; write the value"
              + " out in full");
        } else if (event instanceof ScalarEvent scalar) {
          if (documents > 1 && open.isEmpty() && !isEmpty(scalar)) {
            secondDocument(documentStart);
          }
          Frame in = open.peek();
          if (in != null && in.expectsKey() && isMergeKey(scalar)) {
            throw new IllegalArgumentException("--job-file " + jobFile + ", line "
                + (scalar.getStartMark().getLine() + 1) + ": the merge key << is not"
                + " supported; write the merged keys out in full");
          }
          if ((in == null || !in.expectsKey()) && isNotFinite(scalar)) {
            throw new IllegalArgumentException("--job-file's " + (in == null ? "document"
                : LogText.escaped(in.childPath(), 200)) + " (line "
                + (scalar.getStartMark().getLine() + 1) + ") must be a finite number, as"
                + " Kubernetes wants it, was " + LogText.escaped(scalar.getValue(), 20));
          }
          if (in != null) {
            in.read(scalar.getValue());
          }
        } else if (event instanceof CollectionStartEvent) {
          if (documents > 1 && open.isEmpty()) {
            secondDocument(documentStart);
          }
          Frame in = open.peek();
          open.push(new Frame(event instanceof MappingStartEvent,
              in == null ? "" : in.childPath()));
        } else if (event instanceof CollectionEndEvent) {
          open.pop();
          Frame in = open.peek();
          if (in != null) {
            in.read(null);
          }
        }
      }
    } catch (YAMLException e) {
      // Not YAML: the reader below names what is wrong.
    }
  }

  /** An open mapping or sequence of the job file, and where its reading is. */
  private static final class Frame {
    private final boolean mapping;
    private final String path;
    private boolean expectsKey;
    private String key;
    private int index;

    Frame(boolean mapping, String path) {
      this.mapping = mapping;
      this.path = path;
      this.expectsKey = mapping;
    }

    boolean expectsKey() {
      return expectsKey;
    }

    /** The path of the node read next, as a value ({@code spec.backoffLimit}, {@code env[0]}). */
    String childPath() {
      return mapping ? (path.isEmpty() ? "" : path + ".") + key : path + "[" + index + "]";
    }

    /** A node was read: a key (its text, null for a collection), a value, an item. */
    void read(String text) {
      if (!mapping) {
        index++;
      } else if (expectsKey) {
        key = text == null ? "?" : text;
        expectsKey = false;
      } else {
        expectsKey = true;
      }
    }
  }

  private void secondDocument(Mark start) {
    throw new IllegalArgumentException("--job-file " + jobFile + ", line "
        + (start.getLine() + 1) + ": a second YAML document begins here; the file must hold"
        + " one Job object (put other objects in files of their own)");
  }

  /** A plain, untagged infinity or not-a-number of YAML ({@code .inf}, {@code -.Inf}, .nan). */
  private static boolean isNotFinite(ScalarEvent scalar) {
    return scalar.getTag() == null && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
        && scalar.getValue().matches("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  }

  /** A plain, untagged {@code <<}: YAML's merge key. */
  private static boolean isMergeKey(ScalarEvent scalar) {
    return "<<".equals(scalar.getValue()) && scalar.getTag() == null
        && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
  }

  /** An empty document's node: nothing, not even an empty string in quotes. */
  private static boolean isEmpty(ScalarEvent scalar) {
    return scalar.getValue().isEmpty() && scalar.getTag() == null && scalar.getAnchor() == null
        && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
  }

  /** More than any Job template or kubeconfig holds. */
  static final int SETTINGS_FILE_BYTES = 16 << 20;

  private Optional<ObjectNode> template() throws IOException {
    if (jobFile == null) {
      return Optional.empty();
    }
    JsonNode tree;
    try {
      String text = TextFiles.read(jobFile, SETTINGS_FILE_BYTES);
      refuseWhatTheReaderMisreads(text);
      // YAML is a superset of JSON, so one parser reads both.
      tree = new YAMLMapper().readTree(text);
    } catch (IOException e) {
      throw new IOException("--job-file " + jobFile + ": " + TextFiles.reason(e), e);
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new IllegalArgumentException("--job-file " + jobFile + " must hold one Job object");
    }
    return Optional.of(object);
  }
}
