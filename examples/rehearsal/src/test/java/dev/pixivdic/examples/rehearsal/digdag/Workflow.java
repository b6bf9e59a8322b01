package dev.pixivdic.examples.rehearsal.digdag;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.digdag.client.DigdagClient;
import io.digdag.client.config.Config;
import io.digdag.client.config.ConfigFactory;
import io.digdag.core.archive.WorkflowFile;
import io.digdag.core.config.ConfigLoaderManager;
import io.digdag.core.config.YamlConfigLoader;
import io.digdag.core.repository.WorkflowDefinition;
import io.digdag.core.workflow.WorkflowCompiler;
import io.digdag.core.workflow.WorkflowTask;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .dig} file as Digdag loads and compiles it ({@code digdag check}, {@code digdag push}):
 * Digdag's own loader and compiler, nothing re-parsed here. It gives the shell tasks in the order a
 * session runs them, each with the parameters its {@code _export} blocks set.
 */
public final class Workflow {

  private static final ConfigFactory CONFIG = new ConfigFactory(DigdagClient.objectMapper());

  /**
   * A task that runs a shell command.
   *
   * @param fullName Digdag's name of it, e.g. {@code +pixiv_scraping+scrape}
   * @param command the {@code sh>} command as written
   * @param exports the {@code _export} parameters it sees (the workflow's, then its own)
   * @param retryLimit the {@code _retry} limit, 0 when it has none
   */
  public record Task(String fullName, String command, Map<String, String> exports, int retryLimit) {
    public Task {
      requireNonNull(fullName, "fullName");
      requireNonNull(command, "command");
      exports = Map.copyOf(exports);
    }
  }

  private final String name;
  private final ZoneId timeZone;
  private final List<Task> tasks;
  private final java.util.Optional<Task> errorTask;

  private Workflow(String name, ZoneId timeZone, List<Task> tasks,
      java.util.Optional<Task> errorTask) {
    this.name = name;
    this.timeZone = timeZone;
    this.tasks = List.copyOf(tasks);
    this.errorTask = errorTask;
  }

  /**
   * Loads and compiles the workflow file.
   *
   * @throws IOException when the file cannot be read
   * @throws io.digdag.client.config.ConfigException when Digdag refuses the workflow
   * @throws IllegalArgumentException for a task this rehearsal cannot run as Digdag would (an
   *     operator other than {@code sh>}, parallel groups)
   */
  public static Workflow load(Path file) throws IOException {
    String name = file.getFileName().toString().replaceFirst("\\.dig$", "");
    Config config =
        new ConfigLoaderManager(CONFIG, new YamlConfigLoader())
            .loadParameterizedFile(file.toFile(), CONFIG.create());
    WorkflowDefinition def = WorkflowFile.fromConfig(name, config).toWorkflowDefinition();
    List<WorkflowTask> compiled =
        new WorkflowCompiler().compile(def.getName(), def.getConfig()).getTasks();
    List<Task> tasks = new ArrayList<>();
    java.util.Optional<Task> errorTask = java.util.Optional.empty();
    for (WorkflowTask t : compiled) {
      Config c = t.getConfig();
      if (c.has("_parallel") && c.get("_parallel", JsonNode.class).asBoolean()) {
        throw new IllegalArgumentException(t.getFullName() + ": parallel groups are not rehearsed");
      }
      boolean operator = c.getKeys().stream().anyMatch(k -> k.endsWith(">") || k.equals("_type"));
      if (!operator) {
        continue; // a group: its children are tasks
      }
      if (!c.has("sh>")) {
        throw new IllegalArgumentException(
            t.getFullName() + ": only sh> tasks are rehearsed, this is " + c.getKeys());
      }
      Map<String, String> exports = new LinkedHashMap<>();
      for (WorkflowTask a : lineage(compiled, t)) {
        Config export = a.getConfig().getNestedOrGetEmpty("_export");
        for (String key : export.getKeys()) {
          JsonNode v = export.get(key, JsonNode.class);
          exports.put(key, v.isTextual() ? v.textValue() : v.toString());
        }
      }
      Config retry = c.getNestedOrGetEmpty("_retry");
      int limit =
          c.has("_retry") && !c.get("_retry", JsonNode.class).isObject()
              ? c.get("_retry", Integer.class)
              : retry.get("limit", Integer.class, 0);
      tasks.add(new Task(t.getFullName(), c.get("sh>", String.class), exports, limit));
    }
    // Digdag makes the _error: block a task only when a task has failed (at run time): it is a
    // parameter of the workflow's root, with the root's _export.
    WorkflowTask root = compiled.get(0);
    Config error = root.getConfig().getNestedOrGetEmpty("_error");
    if (!error.getKeys().isEmpty()) {
      if (!error.has("sh>")) {
        throw new IllegalArgumentException(
            "_error: only an sh> task is rehearsed, this is " + error.getKeys());
      }
      Map<String, String> exports = new LinkedHashMap<>();
      Config export = root.getConfig().getNestedOrGetEmpty("_export");
      for (String key : export.getKeys()) {
        JsonNode v = export.get(key, JsonNode.class);
        exports.put(key, v.isTextual() ? v.textValue() : v.toString());
      }
      errorTask = java.util.Optional.of(new Task(root.getFullName() + "^error",
          error.get("sh>", String.class), exports, 0));
    }
    return new Workflow(name, def.getTimeZone(), tasks, errorTask);
  }

  /** The root, its descendants down to {@code task}, and the task. */
  private static List<WorkflowTask> lineage(List<WorkflowTask> all, WorkflowTask task) {
    List<WorkflowTask> chain = new ArrayList<>();
    for (WorkflowTask t = task; t != null; ) {
      chain.add(0, t);
      t = t.getParentIndex().isPresent() ? all.get(t.getParentIndex().get()) : null;
    }
    return chain;
  }

  public String name() {
    return name;
  }

  public ZoneId timeZone() {
    return timeZone;
  }

  /** The workflow's {@code _error:} task, which Digdag runs once a task has failed for good. */
  public java.util.Optional<Task> errorTask() {
    return errorTask;
  }

  /** The shell tasks in the order a session runs them (without the {@code _error:} task). */
  public List<Task> tasks() {
    return tasks;
  }

  /** The task whose full name ends with {@code +suffix}, e.g. {@code scrape}. */
  public Task task(String suffix) {
    return tasks.stream()
        .filter(t -> t.fullName().endsWith("+" + suffix))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name + " has no task +" + suffix));
  }
}
