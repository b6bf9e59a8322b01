package dev.pixivdic.launcher.kube;

import static java.util.Objects.requireNonNull;

/**
 * One line of a watch: {@code ADDED}, {@code MODIFIED}, {@code DELETED} or {@code BOOKMARK}, with
 * the object as it is now (a bookmark's carries only its resource version). An {@code ERROR}
 * line becomes an {@link ApiException} instead.
 */
public record WatchEvent<T>(String type, T object, String resourceVersion) {
  public WatchEvent {
    requireNonNull(type, "type");
    requireNonNull(object, "object");
    resourceVersion = Fields.text(resourceVersion);
  }
}
