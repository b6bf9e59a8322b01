package dev.pixivdic.examples.rehearsal.digdag;

import static java.util.Objects.requireNonNull;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One session of a workflow: the values Digdag gives its tasks' {@code ${...}} and how it fills
 * them in. Digdag's own evaluator cannot run here (it needs the Nashorn JavaScript engine, gone
 * from the JDK since 15), so this substitution fills plain {@code ${name}} references and refuses
 * everything else: an unknown name, a JavaScript expression, a nested key. A command that passes
 * here passes in Digdag; the reverse is not promised.
 *
 * <p>Precedence is Digdag's: session parameters ({@code -p}) lose to the workflow's {@code _export}
 * (Digdag documents that {@code -p} cannot override an exported value), and the built-in variables
 * ({@code session_uuid}, ...) win over both. Values that a user sets by editing the {@code _export}
 * block of their copy of the workflow (the image, the project) are given as {@code exportEdits};
 * only names the block has can be edited.
 *
 * @param uuid {@code session_uuid}; a retry of the same session keeps it
 * @param time the session time, in the workflow's time zone
 * @param exportEdits values the copy's {@code _export} block holds instead of the shipped ones
 * @param params session parameters, as {@code digdag run -p KEY=VALUE}
 */
public record Session(
    UUID uuid, ZonedDateTime time, Map<String, String> exportEdits, Map<String, String> params) {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public Session {
    requireNonNull(uuid, "uuid");
    requireNonNull(time, "time");
    exportEdits = Map.copyOf(exportEdits);
    params = Map.copyOf(params);
  }

  /**
   * The variables the task sees.
   *
   * @throws IllegalArgumentException when an edit names a parameter the task's {@code _export} does
   *     not have (the user would be adding to the workflow, not setting it)
   */
  public Map<String, String> variables(Workflow workflow, Workflow.Task task) {
    Set<String> unknown = new TreeSet<>(exportEdits.keySet());
    unknown.removeAll(task.exports().keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          task.fullName()
              + " exports no "
              + unknown
              + "; its _export has "
              + new TreeSet<>(task.exports().keySet()));
    }
    Map<String, String> vars = new LinkedHashMap<>(params);
    vars.putAll(task.exports());
    vars.putAll(exportEdits);
    vars.putAll(builtIns(workflow, task));
    return vars;
  }

  /** The variables Digdag defines for every task of a session. */
  private Map<String, String> builtIns(Workflow workflow, Workflow.Task task) {
    ZonedDateTime t = time.withZoneSameInstant(workflow.timeZone());
    Map<String, String> b = new LinkedHashMap<>();
    b.put("timezone", workflow.timeZone().getId());
    b.put("project_id", "1");
    b.put("session_uuid", uuid.toString());
    b.put("session_id", "1");
    b.put("attempt_id", "1");
    b.put("task_name", task.fullName());
    b.put("session_time", t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    b.put("session_date", t.format(DateTimeFormatter.ISO_LOCAL_DATE));
    b.put("session_date_compact", t.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8));
    b.put("session_local_time", t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
    b.put("session_tz_offset", t.format(DateTimeFormatter.ofPattern("xx")));
    b.put("session_unixtime", Long.toString(t.toEpochSecond()));
    return b;
  }

  /**
   * The command with every {@code ${name}} filled in.
   *
   * @throws IllegalArgumentException naming the first reference that cannot be filled
   */
  public String render(Workflow workflow, Workflow.Task task) {
    Map<String, String> vars = variables(workflow, task);
    Matcher m = REFERENCE.matcher(task.command());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String ref = m.group(1).strip();
      if (!NAME.matcher(ref).matches()) {
        throw new IllegalArgumentException(
            task.fullName()
                + ": ${"
                + ref
                + "} is an expression;"
                + " only plain ${name} references are filled here");
      }
      String value = vars.get(ref);
      if (value == null) {
        throw new IllegalArgumentException(
            task.fullName()
                + ": ${"
                + ref
                + "} is neither exported,"
                + " a session parameter nor built in");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
