package dev.pixivdic.launcher.kube;

import java.util.Map;

/**
 * The metadata of an API object that the launcher reads. Absent texts are empty.
 *
 * @param deletionTimestamp when a deletion began, empty while none has
 * @param creationTimestamp when the object was created (ISO-8601), or empty
 */
public record Meta(String name, String uid, String resourceVersion, String creationTimestamp,
    String deletionTimestamp, Map<String, String> labels, Map<String, String> annotations) {
  /** Metadata with nothing in it, for an object that came without. */
  public static final Meta NONE = new Meta(null, null, null, null, null, null, null);

  public Meta {
    name = Fields.text(name);
    uid = Fields.text(uid);
    resourceVersion = Fields.text(resourceVersion);
    creationTimestamp = Fields.text(creationTimestamp);
    deletionTimestamp = Fields.text(deletionTimestamp);
    labels = Fields.map(labels);
    annotations = Fields.map(annotations);
  }
}
