package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.manifest.ScrapeModel;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Renders the launcher's description of {@code pixiv scrape} (its {@code scrape-model.json}) from
 * the command's own picocli model and {@link ExitCodes}, so the launcher can refuse what every pod
 * would refuse without depending on this module. {@link LauncherAgreementTest} fails when the
 * checked-in file differs, and rewrites it on request.
 */
final class ScrapeModelDescription {

  static final Path FILE =
      Path.of(
          "..",
          "pixiv-k8s-launcher",
          "src",
          "main",
          "resources",
          "dev",
          "pixivdic",
          "launcher",
          "manifest",
          ScrapeModel.RESOURCE);
  static final String REGENERATE =
      "mvn -B -q -pl pixiv-cli -am verify -Dtest=LauncherAgreementTest "
          + "-Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dpixiv.launcher.model.write=true";

  /**
   * A parameter label listing lower-case words ({@code text|json}): the values a setter method
   * accepts.
   */
  private static final Pattern CHOICES = Pattern.compile("[a-z]+(\\|[a-z]+)+");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ScrapeModelDescription() {}

  static CommandLine scrape() {
    return CliReference.model().getSubcommands().get("scrape");
  }

  static String render() {
    CommandSpec spec = scrape().getCommandSpec();
    ObjectNode root = NODES.objectNode();
    root.put("command", spec.name());
    root.put(
        "generated",
        "from the pixiv command's picocli model by pixiv-cli's LauncherAgreementTest;"
            + " do not edit. Regenerate: "
            + REGENERATE);
    ObjectNode parser = root.putObject("parser");
    for (String flag : ScrapeModel.PARSER_FLAGS) {
      try {
        parser.put(flag, (Boolean) spec.parser().getClass().getMethod(flag).invoke(spec.parser()));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("picocli's ParserSpec has no " + flag + "()", e);
      }
    }
    parser.put("separator", spec.parser().separator());
    parser.put("endOfOptionsDelimiter", spec.parser().endOfOptionsDelimiter());
    ArrayNode options = root.putArray("options");
    spec.options().stream().filter(o -> o.group() == null)
        .sorted(Comparator.comparing(OptionSpec::longestName))
        .forEach(o -> options.add(option(o)));
    ArrayNode groups = root.putArray("groups");
    for (ArgGroupSpec g : spec.argGroups()) {
      if (!g.subgroups().isEmpty() || !g.positionalParameters().isEmpty()) {
        throw new IllegalStateException(
            "nested groups or positional parameters in groups: teach ScrapeModel");
      }
      ObjectNode group = groups.addObject();
      group.put("exclusive", g.exclusive());
      group.put("multiplicity", g.multiplicity().toString());
      ArrayNode members = group.putArray("options");
      g.options().stream().sorted(Comparator.comparing(OptionSpec::longestName))
          .forEach(o -> members.add(option(o)));
    }
    ArrayNode positionals = root.putArray("positionals");
    for (PositionalParamSpec p : spec.positionalParameters()) {
      ObjectNode n = positionals.addObject();
      n.put("index", p.index().toString());
      n.put("arity", p.arity().toString());
      n.put("required", p.required());
    }
    ObjectNode codes = root.putObject("exit_codes");
    exitCodes().forEach(f -> {
      try {
        codes.put(f.getName(), f.getInt(null));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
          + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The int constants of {@link ExitCodes}, by value. */
  static List<Field> exitCodes() {
    return Arrays.stream(ExitCodes.class.getDeclaredFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == int.class)
        .peek(f -> f.setAccessible(true))
        .sorted(Comparator.comparingInt((Field f) -> {
          try {
            return f.getInt(null);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }).thenComparing(Field::getName))
        .toList();
  }

  private static ObjectNode option(OptionSpec o) {
    ObjectNode n = NODES.objectNode();
    ArrayNode names = n.putArray("names");
    List<String> sorted = new ArrayList<>(Arrays.asList(o.names()));
    sorted.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    sorted.forEach(names::add);
    n.put("arity", o.arity().toString());
    n.put("type", type(o));
    if (o.converters() != null
        && Arrays.stream(o.converters()).anyMatch(c -> c instanceof FetchOptions.OriginConverter)) {
      n.put("strip", true);
    }
    if (n.path("type").asText().equals("duration")) {
      DurationConverter c = (DurationConverter) o.converters()[0];
      n.put("min", dev.pixivdic.support.internal.Durations.format(c.min()));
      n.put("max", dev.pixivdic.support.internal.Durations.format(c.max()));
    }
    OptionRanges.of(o.longestName()).ifPresent(r -> {
      n.put("min", r.min());
      n.put("max", r.max());
      n.put("range", r.toString());
    });
    if (o.type().isEnum()) {
      ArrayNode values = n.putArray("values");
      Arrays.stream(o.type().getEnumConstants()).forEach(c -> values.add(((Enum<?>) c).name()));
    }
    if (isCollection(o.type())) {
      n.put("element", elementType(o));
    }
    if (o.required()) {
      n.put("required", true);
    }
    if (o.usageHelp()) {
      n.put("usage_help", true);
    }
    if (o.versionHelp()) {
      n.put("version_help", true);
    }
    if (o.negatable()) {
      n.put("negatable", true);
    }
    if (!o.splitRegex().isEmpty()) {
      n.put("split", o.splitRegex());
    }
    if (o.arity().min() == 0
        && o.arity().max() > 0
        && o.fallbackValue() != null
        && !o.fallbackValue().isEmpty()) {
      n.put("fallback", o.fallbackValue());
    }
    n.put("param_label", o.paramLabel());
    // A setter method may check its value while the command line is parsed (--log-format
    // text|json):
    // when its parameter label lists the values, the launcher checks them too.
    if (o.userObject() instanceof java.lang.reflect.Method
        && o.type() == String.class
        && CHOICES.matcher(o.paramLabel()).matches()) {
      ArrayNode choices = n.putArray("choices");
      Arrays.stream(o.paramLabel().split("\\|")).forEach(choices::add);
      n.put("ignore_case", true);
    }
    return n;
  }

  private static String type(OptionSpec o) {
    Class<?> t = o.type();
    if (o.converters() != null && o.converters().length > 0) {
      if (Arrays.stream(o.converters()).allMatch(c -> c instanceof DurationConverter)
          && t == Duration.class) {
        return "duration";
      }
      if (Arrays.stream(o.converters()).allMatch(c -> c instanceof FetchOptions.OriginConverter)
          && t == URI.class) {
        return "uri"; // with "strip", below
      }
      if (Arrays.stream(o.converters()).allMatch(
          c -> c instanceof dev.pixivdic.support.cli.FileName) && t == java.nio.file.Path.class) {
        return "file";
      }
      if (Arrays.stream(o.converters()).allMatch(
          c -> c instanceof dev.pixivdic.support.cli.WholeNumbers.Unsigned)
          && (t == int.class || t == Integer.class)) {
        return "unsigned_int";
      }
      throw unsupported(o, "a converter " + Arrays.toString(o.converters()));
    }
    if (t == boolean.class || t == Boolean.class) {
      return "boolean";
    }
    if (t == boolean[].class) {
      return "boolean[]";
    }
    if (t.isEnum()) {
      return "enum";
    }
    if (isCollection(t)) {
      return "list";
    }
    return scalar(o, t);
  }

  private static String elementType(OptionSpec o) {
    Class<?>[] aux = o.auxiliaryTypes();
    if (aux.length != 1) {
      throw unsupported(o, "a collection of " + Arrays.toString(aux));
    }
    return scalar(o, aux[0]);
  }

  private static String scalar(OptionSpec o, Class<?> t) {
    if (t == int.class || t == Integer.class) {
      return "int";
    }
    if (t == long.class || t == Long.class) {
      return "long";
    }
    if (t == double.class || t == Double.class) {
      return "double";
    }
    if (t == String.class) {
      return "string";
    }
    if (t == Path.class) {
      return "path";
    }
    if (t == URI.class) {
      return "uri";
    }
    throw unsupported(o, "type " + t.getName());
  }

  private static boolean isCollection(Class<?> t) {
    return Collection.class.isAssignableFrom(t);
  }

  private static IllegalStateException unsupported(OptionSpec o, String what) {
    return new IllegalStateException(
        "pixiv scrape's option "
            + o.longestName()
            + " has "
            + what
            + ", which the launcher's ScrapeModel cannot rebuild; teach it (pixiv-k8s-launcher,"
            + " ScrapeModel.TYPES) and the description here");
  }
}
