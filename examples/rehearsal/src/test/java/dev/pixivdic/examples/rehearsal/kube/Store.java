package dev.pixivdic.examples.rehearsal.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * The stand-in's etcd: objects by kind, namespace and name, one resource version counter for all of
 * them, and the history of changes that watches replay from a resource version. Everything that
 * changes the cluster holds this object's monitor, so the controller, the kubelet and the API
 * handlers see one consistent state. Objects go in and come out as copies.
 */
final class Store {

  /** One change, as a watch reports it. */
  record Change(long resourceVersion, String kind, String type, ObjectNode object) {
    Change {
      requireNonNull(kind, "kind");
      requireNonNull(type, "type");
      requireNonNull(object, "object");
    }
  }

  private record Key(String kind, String namespace, String name) {}

  /** An open watch: the changes after its start, for one kind and namespace, as they happen. */
  final class Subscription implements AutoCloseable {
    private final String kind;
    private final String namespace;
    private final Predicate<ObjectNode> filter;
    private final BlockingQueue<Change> queue = new LinkedBlockingQueue<>();

    private Subscription(String kind, String namespace, Predicate<ObjectNode> filter) {
      this.kind = kind;
      this.namespace = namespace;
      this.filter = filter;
    }

    BlockingQueue<Change> changes() {
      return queue;
    }

    private void offer(Change c) {
      if (c.kind().equals(kind)
          && namespace.equals(Meta.namespace(c.object()))
          && filter.test(c.object())) {
        queue.add(c);
      }
    }

    @Override
    public void close() {
      synchronized (Store.this) {
        subscriptions.remove(this);
      }
    }
  }

  private final Map<Key, ObjectNode> objects = new LinkedHashMap<>();
  private final List<Change> history = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private long resourceVersion = 1000;
  private final Changes changes;

  Store(Changes changes) {
    this.changes = requireNonNull(changes, "changes");
  }

  synchronized long resourceVersion() {
    return resourceVersion;
  }

  /** Adds or replaces the object; stamps its resource version and tells the watches. */
  synchronized ObjectNode put(String kind, ObjectNode object) {
    Key key = new Key(kind, Meta.namespace(object), Meta.name(object));
    String type = objects.containsKey(key) ? "MODIFIED" : "ADDED";
    ObjectNode stored = object.deepCopy();
    Meta.metadata(stored).put("resourceVersion", Long.toString(++resourceVersion));
    objects.put(key, stored);
    record(new Change(resourceVersion, kind, type, stored.deepCopy()));
    return stored.deepCopy();
  }

  /** Removes the object; watches see it DELETED in its last state. */
  synchronized void remove(String kind, String namespace, String name) {
    ObjectNode gone = objects.remove(new Key(kind, namespace, name));
    if (gone != null) {
      Meta.metadata(gone).put("resourceVersion", Long.toString(++resourceVersion));
      record(new Change(resourceVersion, kind, "DELETED", gone));
    }
  }

  synchronized Optional<ObjectNode> get(String kind, String namespace, String name) {
    ObjectNode o = objects.get(new Key(kind, namespace, name));
    return Optional.ofNullable(o).map(ObjectNode::deepCopy);
  }

  synchronized List<ObjectNode> list(String kind, String namespace, Predicate<ObjectNode> filter) {
    List<ObjectNode> out = new ArrayList<>();
    objects.forEach(
        (k, o) -> {
          if (k.kind().equals(kind) && k.namespace().equals(namespace) && filter.test(o)) {
            out.add(o.deepCopy());
          }
        });
    return out;
  }

  /**
   * Opens a watch that first holds every recorded change after {@code fromVersion}, then the new
   * ones. Nothing is compacted here, so any version the store handed out can be resumed from.
   */
  synchronized Subscription watch(
      String kind, String namespace, Predicate<ObjectNode> filter, long fromVersion) {
    Subscription s = new Subscription(kind, namespace, filter);
    for (Change c : history) {
      if (c.resourceVersion() > fromVersion) {
        s.offer(c);
      }
    }
    subscriptions.add(s);
    return s;
  }

  private void record(Change c) {
    history.add(c);
    List.copyOf(subscriptions).forEach(s -> s.offer(c));
    changes.changed();
  }
}
