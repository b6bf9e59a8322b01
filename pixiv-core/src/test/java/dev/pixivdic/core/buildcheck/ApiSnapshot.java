package dev.pixivdic.core.buildcheck;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a module as text, and its check against the snapshot checked in beside the
 * module ({@code api/<module>.api}), the way OkHttp keeps its {@code .api} files.
 *
 * <p>The text has one block per public type of an exported package (every package whose name
 * has no {@code internal} segment), sorted by name: the type's declaration with its supertypes,
 * then its public and protected constructors, methods and fields, one per line, sorted. A nested
 * type counts when it and every type around it are public or protected.
 *
 * <p>Run the tests with {@code -Dpixiv.api.write=true} to write the snapshot instead of checking
 * it (see {@link #REGENERATE}).
 */
public final class ApiSnapshot {

  /** The system property that makes {@link #check} write the snapshot. */
  public static final String WRITE_PROPERTY = "pixiv.api.write";

  /** The command that rewrites every snapshot from the compiled classes. */
  public static final String REGENERATE = "mvn -o test -pl pixiv-core,pixiv-bigquery -am"
      + " -Dtest=PublicApiTest -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY
      + "=true";

  private ApiSnapshot() {}

  /**
   * The API of the classes under {@code packagePrefix} that sit in the same class directory or
   * jar as {@code anchor}.
   */
  public static String describe(Class<?> anchor, String packagePrefix) throws IOException {
    Path root = ClassLocation.of(anchor);
    StringBuilder out = new StringBuilder();
    for (String name : classNames(root, packagePrefix)) {
      Class<?> c;
      try {
        c = Class.forName(name, false, anchor.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IOException("cannot load " + name + " from " + root, e);
      }
      if (exported(c) && visible(c)) {
        out.append(header(c)).append('\n');
        members(c).forEach(m -> out.append("  ").append(m).append('\n'));
        out.append('\n');
      }
    }
    return out.toString();
  }

  /**
   * How many of a module's types are API, counted from the compiled classes under
   * {@code packagePrefix} beside {@code anchor}. The rule (docs/decisions.md, "Public API"):
   * every top-level class, interface, enum, record and annotation counts once, nested types
   * count with the type around them, {@code package-info} and {@code module-info} do not count;
   * a type is API when it is public and its package is exported (has no {@code internal}
   * segment).
   */
  public static Share share(Class<?> anchor, String packagePrefix) throws IOException {
    Path root = ClassLocation.of(anchor);
    List<String> api = new ArrayList<>();
    int total = 0;
    for (String name : classNames(root, packagePrefix)) {
      if (name.contains("$")) {
        continue;
      }
      total++;
      Class<?> c;
      try {
        c = Class.forName(name, false, anchor.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IOException("cannot load " + name + " from " + root, e);
      }
      if (exported(c) && Modifier.isPublic(c.getModifiers())) {
        api.add(name);
      }
    }
    return new Share(api, total);
  }

  /** The API types of a module, and the number of its types. */
  public record Share(List<String> api, int total) {
    public Share {
      api = List.copyOf(api);
    }

    /** API types over all types; 0 for a module without types. */
    public double ratio() {
      return total == 0 ? 0 : (double) api.size() / total;
    }

    /**
     * Fails when more than {@code max} of the types are API.
     *
     * @throws AssertionError naming the share and listing the API types
     */
    public void requireAtMost(double max) {
      if (ratio() > max) {
        throw new AssertionError(String.format(java.util.Locale.ROOT,
            "%d of %d types are public API (%.1f%%), more than the %.0f%% decided in"
                + " docs/decisions.md (\"Public API\"); move implementation to an internal"
                + " package or make it package-private. The API types:%n  %s",
            api.size(), total, 100 * ratio(), 100 * max, String.join("\n  ", api)));
      }
    }
  }

  /**
   * Checks {@code api} against the snapshot file, or writes the file when the system property
   * {@value #WRITE_PROPERTY} is true.
   *
   * @throws AssertionError listing what was added and removed, and how to regenerate
   */
  public static void check(String api, Path snapshot) throws IOException {
    check(api, snapshot, Boolean.getBoolean(WRITE_PROPERTY));
  }

  /** {@link #check(String, Path)} with the choice to write given. */
  public static void check(String api, Path snapshot, boolean write) throws IOException {
    requireNonNull(api, "api");
    if (write) {
      Files.createDirectories(snapshot.toAbsolutePath().getParent());
      Files.writeString(snapshot, api, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(snapshot)) {
      throw new AssertionError("no API snapshot at " + snapshot + "; write it with: "
          + REGENERATE);
    }
    String expected = Files.readString(snapshot, StandardCharsets.UTF_8);
    if (!expected.equals(api)) {
      throw new AssertionError("the public API differs from " + snapshot
          + " (- only in the snapshot, + only in the classes):\n" + diff(expected, api)
          + "If the change is meant, regenerate the snapshot and commit it with the change:\n  "
          + REGENERATE);
    }
  }

  /** The differences between two API texts, per type. */
  static String diff(String expected, String actual) {
    Map<String, List<String>> before = blocks(expected);
    Map<String, List<String>> after = blocks(actual);
    StringBuilder out = new StringBuilder();
    TreeSet<String> types = new TreeSet<>(before.keySet());
    types.addAll(after.keySet());
    for (String type : types) {
      List<String> was = before.get(type);
      List<String> is = after.get(type);
      if (was == null || is == null) {
        out.append(was == null ? "+ " : "- ").append(type).append('\n');
        continue;
      }
      was.stream().filter(m -> !is.contains(m))
          .forEach(m -> out.append("- ").append(type).append(":\n    ").append(m).append('\n'));
      is.stream().filter(m -> !was.contains(m))
          .forEach(m -> out.append("+ ").append(type).append(":\n    ").append(m).append('\n'));
    }
    return out.toString();
  }

  private static Map<String, List<String>> blocks(String text) {
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : text.split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("  ")) {
        if (current != null) {
          current.add(line.strip());
        }
      } else {
        current = new ArrayList<>();
        blocks.put(line, current);
      }
    }
    return blocks;
  }

  private static List<String> classNames(Path root, String packagePrefix) throws IOException {
    String prefix = packagePrefix.replace('.', '/') + "/";
    try (ClassLocation.Entries entries = ClassLocation.entries(root)) {
      return entries.names()
          .filter(n -> n.startsWith(prefix) && n.endsWith(".class"))
          .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static boolean exported(Class<?> c) {
    return !Arrays.asList(c.getPackageName().split("\\.")).contains("internal");
  }

  private static boolean visible(Class<?> c) {
    if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
      return false;
    }
    Class<?> outer = c.getDeclaringClass();
    return visible(c.getModifiers()) && (outer == null || visible(outer));
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String header(Class<?> c) {
    StringBuilder b = new StringBuilder(c.toGenericString());
    Type parent = c.getGenericSuperclass();
    if (parent != null && parent != Object.class && parent != Record.class
        && !(c.isEnum() && c.getSuperclass() == Enum.class)) {
      b.append(" extends ").append(parent.getTypeName());
    }
    Type[] interfaces = c.getGenericInterfaces();
    if (interfaces.length > 0) {
      b.append(c.isInterface() ? " extends " : " implements ").append(
          Stream.of(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    return b.toString();
  }

  private static TreeSet<String> members(Class<?> c) {
    TreeSet<String> out = new TreeSet<>();
    String owner = c.getTypeName() + ".";
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (visible(k.getModifiers()) && !k.isSynthetic()) {
        out.add(k.toGenericString());
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
        out.add(m.toGenericString().replace(owner + m.getName() + "(", m.getName() + "("));
      }
    }
    for (Field f : c.getDeclaredFields()) {
      if (visible(f.getModifiers()) && !f.isSynthetic()) {
        out.add(f.toGenericString().replace(owner + f.getName(), f.getName()));
      }
    }
    return out;
  }
}
