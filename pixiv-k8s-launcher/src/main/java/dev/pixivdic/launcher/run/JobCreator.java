package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.ExitCodes;
import dev.pixivdic.launcher.kube.ApiException;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Creates the Job, or finds the one a previous attempt of the same launch left. */
final class JobCreator {
  private final KubeApi api;
  private final String jobsPath;
  private final ObjectNode manifest;
  private final String name;
  private final String jobRef;
  private final PrintStream status;
  private final Duration retryDelay;

  JobCreator(KubeApi api, String jobsPath, ObjectNode manifest, PrintStream status, Duration retryDelay) {
    this.api = api;
    this.jobsPath = jobsPath;
    this.manifest = manifest;
    this.name = manifest.path("metadata").path("name").asText();
    this.jobRef = manifest.path("metadata").path("namespace").asText() + "/" + name;
    this.status = status;
    this.retryDelay = retryDelay;
  }

  /** How often a create is retried while the previous attempt's Job is being deleted. */
  private static final int MAX_CREATE_ATTEMPTS = 30;

  /**
   * Creates the Job. If one of that name exists and carries this launch's labels, it is a retry:
   * a running or complete Job is re-attached to, a failed one is deleted and created afresh (a
   * retry must not just report the old failure again), one being deleted is waited for.
   */
  JsonNode create() throws LaunchFailure, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        JsonNode created = api.post(jobsPath + "?fieldValidation=Strict", manifest);
        status.println("pixiv-launch: created Job " + jobRef);
        return created;
      } catch (ApiException e) {
        if (e.status() != 409) {
          throw new LaunchFailure(ExitCodes.API_REFUSED, "the API server refused to create Job " + jobRef + ": "
              + e.getMessage());
        }
      } catch (IOException e) {
        throw new LaunchFailure(ExitCodes.API_REFUSED, "cannot create Job " + jobRef + ": " + e.getMessage());
      }
      JsonNode existing = sameLaunch();
      boolean deleting = existing.path("metadata").has("deletionTimestamp");
      boolean failed = JobConditions.find(existing, "Failed").isPresent();
      if (!deleting && !failed) {
        status.println("pixiv-launch: re-attached to existing Job " + jobRef + " (same launch, uid "
            + existing.path("metadata").path("uid").asText() + ")");
        return existing;
      }
      if (attempt >= MAX_CREATE_ATTEMPTS) {
        throw new LaunchFailure(ExitCodes.API_REFUSED, "Job " + jobRef + " from a previous attempt is still being"
            + " deleted; try again later");
      }
      if (!deleting) {
        status.println("pixiv-launch: the previous attempt's Job " + jobRef + " failed; deleting it to start afresh");
        try {
          api.delete(jobsPath + "/" + name + "?propagationPolicy=Background");
        } catch (ApiException e) {
          if (e.status() != 404) {
            throw new LaunchFailure(ExitCodes.API_REFUSED, "cannot delete the failed Job " + jobRef + ": "
                + e.getMessage());
          }
        } catch (IOException e) {
          throw new LaunchFailure(ExitCodes.API_REFUSED, "cannot delete the failed Job " + jobRef + ": "
              + e.getMessage());
        }
      }
      Thread.sleep(retryDelay.multipliedBy(Math.min(attempt, 5)).toMillis());
    }
  }

  /** Reads the existing Job of our name; fails unless it carries this launch's labels. */
  private JsonNode sameLaunch() throws LaunchFailure {
    JsonNode existing;
    try {
      existing = api.get(jobsPath + "/" + name);
    } catch (IOException e) {
      throw new LaunchFailure(ExitCodes.API_REFUSED, "Job " + jobRef + " already exists and cannot be read: "
          + e.getMessage());
    }
    JsonNode have = existing.path("metadata").path("labels");
    JsonNode want = manifest.path("metadata").path("labels");
    List<String> differ = new ArrayList<>();
    for (String key : List.of(ManifestBuilder.LABEL_MANAGED_BY, ManifestBuilder.LABEL_LAUNCH,
        ManifestBuilder.LABEL_SPEC_HASH)) {
      if (!want.path(key).asText().equals(have.path(key).asText())) {
        differ.add(key + "=" + have.path(key).asText("(none)") + " (expected " + want.path(key).asText() + ")");
      }
    }
    if (!differ.isEmpty()) {
      throw new LaunchFailure(ExitCodes.API_REFUSED, "a different Job named " + jobRef
          + " already exists (labels " + String.join(", ", differ) + "); delete it or choose another --name");
    }
    return existing;
  }
}
