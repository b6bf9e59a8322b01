package dev.pixivdic.bigquery.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The stand-in's jobs by id, as the REST job resources they are answered as, and the counter
 * that numbers what the stand-in names itself (jobs without an id, upload sessions). Not
 * thread-safe: callers hold the stand-in's monitor.
 */
final class JobBook {

  private final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
  // Jobs that run, as a large query does, until their latch is released.
  private final Map<String, CountDownLatch> runsUntil = new HashMap<>();
  private long ids;

  /** The next number for a name the stand-in makes up. */
  long nextId() {
    return ++ids;
  }

  /** The job {@code jobId}, or BigQuery's 404 naming it as {@code what}. */
  ObjectNode get(String jobId, String what) {
    ObjectNode job = jobs.get(jobId);
    if (job == null) {
      throw StandInException.notFound(what);
    }
    return job;
  }

  /**
   * Job {@code jobId} as {@code jobs.get} answers it: while it runs ({@link #runUntil}), a copy
   * whose state is {@code RUNNING}, without an end time; or BigQuery's 404 naming it as
   * {@code what}.
   */
  ObjectNode read(String jobId, String what) {
    return read(jobId, null, what);
  }

  /**
   * Job {@code jobId} as {@code jobs.get} with {@code location} (null: none given) answers it:
   * as {@link #read(String, String)}, except that it is BigQuery's 404 to a read that names
   * another location, or none when the job is in a single region (not the {@code US} or
   * {@code EU} multi-region).
   */
  ObjectNode read(String jobId, String location, String what) {
    ObjectNode job = visible(jobId, location, what);
    if (!running(jobId)) {
      return job;
    }
    ObjectNode copy = job.deepCopy();
    ((ObjectNode) copy.path("statistics")).remove("endTime");
    copy.putObject("status").put("state", "RUNNING");
    return copy;
  }

  /** Makes job {@code jobId} run until {@code release} is counted down before it is done. */
  void runUntil(String jobId, CountDownLatch release) {
    runsUntil.put(jobId, release);
  }

  /**
   * Cancels job {@code jobId}: one still running ends with BigQuery's {@code stopped} error, one
   * done stays as it is. Returns the job as {@link #read} answers it.
   */
  ObjectNode cancel(String jobId, String location, String what) {
    ObjectNode job = visible(jobId, location, what);
    if (running(jobId)) {
      runsUntil.remove(jobId);
      fail(job, "stopped", "Job execution was cancelled: User requested cancellation");
    }
    return read(jobId, location, what);
  }

  /** Job {@code jobId} when a request naming {@code location} (or none) may see it; else 404. */
  private ObjectNode visible(String jobId, String location, String what) {
    ObjectNode job = get(jobId, what);
    String region = job.path("jobReference").path("location").asText("US");
    boolean multiRegion = region.equalsIgnoreCase("US") || region.equalsIgnoreCase("EU");
    if (location == null ? !multiRegion : !region.equalsIgnoreCase(location)) {
      throw StandInException.notFound(what);
    }
    return job;
  }

  /** Whether job {@code jobId} is still running ({@link #runUntil}). */
  boolean running(String jobId) {
    CountDownLatch release = runsUntil.get(jobId);
    return release != null && release.getCount() > 0;
  }

  /** Every job, in the order they were made. */
  Collection<ObjectNode> all() {
    return jobs.values();
  }

  /** Answers 409 when job {@code jobId} exists. */
  void taken(String project, String jobId) {
    if (jobs.containsKey(jobId)) {
      throw new StandInException(409, "duplicate", "Already Exists: Job " + project + ":"
          + jobs.get(jobId).path("jobReference").path("location").asText("US") + "." + jobId);
    }
  }

  /** Records a job that is DONE (without error until {@link #fail}). */
  ObjectNode job(String project, String jobId, String location, ObjectNode config) {
    ObjectNode job = Http.JSON.createObjectNode().put("kind", "bigquery#job")
        .put("id", project + ":" + location + "." + jobId);
    job.putObject("jobReference").put("projectId", project).put("jobId", jobId)
        .put("location", location);
    job.set("configuration", config);
    String now = Long.toString(System.currentTimeMillis());
    job.putObject("statistics").put("creationTime", now).put("startTime", now)
        .put("endTime", now);
    job.putObject("status").put("state", "DONE");
    jobs.put(jobId, job);
    return job;
  }

  /** Marks {@code job} as failed with BigQuery's error result. */
  static void fail(ObjectNode job, String reason, String message) {
    ObjectNode status = job.putObject("status").put("state", "DONE");
    ObjectNode error = Http.JSON.createObjectNode().put("reason", reason).put("message", message);
    status.set("errorResult", error);
    status.putArray("errors").add(error.deepCopy());
  }
}
