package dev.pixivdic.launcher.kube;

import java.util.List;

/**
 * One answer to a list request: the objects and the resource version to watch from.
 *
 * @param resourceVersion the collection's version, or empty
 */
public record ObjectList<T>(String resourceVersion, List<T> items) {
  public ObjectList {
    resourceVersion = Fields.text(resourceVersion);
    items = Fields.list(items);
  }
}
