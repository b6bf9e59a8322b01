package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.kube.KubeEvent;
import dev.pixivdic.launcher.kube.Pod;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST paths of one Job, its pods and their events, and the reads the runner makes beside
 * its watches. Immutable; thread-safe as {@link KubeApi} is.
 */
final class JobApi {
  private static final Logger LOG = LoggerFactory.getLogger(JobApi.class);
  /** Warning events shown when a pod cannot start; the latest ones say the most. */
  private static final int WARNINGS_SHOWN = 5;

  private final KubeApi api;
  private final String namespace;
  private final String name;

  JobApi(KubeApi api, String namespace, String name) {
    this.api = api;
    this.namespace = namespace;
    this.name = name;
  }

  KubeApi kube() {
    return api;
  }

  /** The namespace's Job collection, where the Job is created. */
  String jobs() {
    return "/apis/batch/v1/namespaces/" + namespace + "/jobs";
  }

  /** The Job itself, read and deleted by name. */
  String job() {
    return jobs() + "/" + name;
  }

  /** The Job collection narrowed to this Job's name, to list and watch. */
  String jobByName() {
    return jobs() + "?fieldSelector=" + enc("metadata.name=" + name);
  }

  /** The pods the Job with this uid controls, to list and watch. */
  String pods(String uid) {
    return "/api/v1/namespaces/" + namespace + "/pods?labelSelector="
        + enc("controller-uid=" + uid);
  }

  /** The pods of the Job with this uid, listed once. */
  List<Pod> listPods(String uid) throws IOException {
    return ofJob(api.list(pods(uid), Pod.class).items(), uid);
  }

  /** The pods of {@code pods} that may be the Job's ({@link Pods#ofJob}). */
  static List<Pod> ofJob(List<Pod> pods, String uid) {
    return pods.stream().filter(p -> Pods.ofJob(p, uid)).toList();
  }

  /** A server-given name as one segment of a request's path, whatever it holds. */
  static String segment(String name) {
    return enc(name).replace("+", "%20");
  }

  /** The pod's latest warning events (scheduler and kubelet explanations), best effort. */
  String warnings(String pod) {
    return latestWarnings("involvedObject.kind=Pod,involvedObject.name=" + pod, "pod " + pod,
        e -> true);
  }

  /**
   * The Job's latest warnings, last seen at {@code since} or later, that it could not create a
   * pod ({@code FailedCreate}: a quota, a LimitRange, an admission webhook or PodSecurity
   * refusing the pod, a missing service account), as lines; empty when there are none or they
   * cannot be read (best effort). A warning without a readable time is left out, as is one from
   * before: a refusal that healed (a quota conflict, a webhook's time-out) says nothing of now.
   */
  String refusedPods(String uid, java.time.Instant since) {
    return latestWarnings("involvedObject.kind=Job,involvedObject.name=" + name
        + ",involvedObject.uid=" + uid, "Job " + name,
        e -> e.reason().equals("FailedCreate")
            && e.lastSeen().filter(t -> !t.isBefore(since)).isPresent());
  }

  /**
   * The last {@link #WARNINGS_SHOWN} warning events of the object {@code selector} names that
   * {@code wanted} keeps, one line each; empty when they cannot be read (best effort).
   */
  private String latestWarnings(String selector, String what, Predicate<KubeEvent> wanted) {
    try {
      List<KubeEvent> events = api.list("/api/v1/namespaces/" + namespace
          + "/events?fieldSelector=" + enc(selector + ",type=Warning"), KubeEvent.class).items();
      List<String> lines = new ArrayList<>();
      for (KubeEvent e : events) {
        if (wanted.test(e)) {
          lines.add("\n  event " + e.reason() + ": " + e.message());
        }
      }
      return String.join("",
          lines.subList(Math.max(0, lines.size() - WARNINGS_SHOWN), lines.size()));
    } catch (IOException e) {
      LOG.debug("cannot list the events of {}: {}", what, e.getMessage());
      return "";
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
