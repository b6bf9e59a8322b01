package dev.pixivdic.launcher.kube;

import java.util.List;
import java.util.Map;

/**
 * The metadata of an API object that the launcher reads. Absent texts are empty.
 *
 * @param deletionTimestamp when a deletion began, empty while none has
 * @param creationTimestamp when the object was created (ISO-8601), or empty
 * @param ownerReferences the objects it belongs to; the one marked {@code controller} manages it
 */
public record Meta(String name, String uid, String resourceVersion, String creationTimestamp,
    String deletionTimestamp, Map<String, String> labels, Map<String, String> annotations,
    List<OwnerReference> ownerReferences) {
  /** Metadata with nothing in it, for an object that came without. */
  public static final Meta NONE = new Meta(null, null, null, null, null, null, null, null);

  public Meta {
    name = Fields.text(name);
    uid = Fields.text(uid);
    resourceVersion = Fields.text(resourceVersion);
    creationTimestamp = Fields.text(creationTimestamp);
    deletionTimestamp = Fields.text(deletionTimestamp);
    labels = Fields.map(labels);
    annotations = Fields.map(annotations);
    ownerReferences = Fields.list(ownerReferences);
  }

  /**
   * One owner of an object.
   *
   * @param controller whether the owner is the object's controller (a pod's Job); false when the
   *     API leaves it out
   */
  public record OwnerReference(String kind, String name, String uid, boolean controller) {
    public OwnerReference {
      kind = Fields.text(kind);
      name = Fields.text(name);
      uid = Fields.text(uid);
    }
  }
}
