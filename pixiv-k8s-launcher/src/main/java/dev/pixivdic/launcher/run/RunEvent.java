package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.Job;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the watchers, the ticker and a signal tell the runner's loop, in the order it happened. */
sealed interface RunEvent {

  /** A fresh list of Jobs of the run's name. */
  record JobSynced(List<Job> items) implements RunEvent {}

  /** A Job of the run's name was added, modified or deleted. */
  record JobChanged(String type, Job job) implements RunEvent {}

  /** The pod tracker has new pod states. */
  record PodsChanged() implements RunEvent {}

  /** A pod's log was read to its end: the pod has finished. */
  record LogEnded(String pod) implements RunEvent {}

  /** A watch gave up, or a log follower stopped on a bug: {@code what} names which. */
  record WatchFailed(String what, IOException error) implements RunEvent {}

  /**
   * A second passed. {@code goesOn} is completed once the loop has handled it: true when the run
   * goes on, false when it ended (on this tick or before it was handled).
   */
  record Tick(CompletableFuture<Boolean> goesOn) implements RunEvent {}

  /** A signal arrived. */
  record Interrupted() implements RunEvent {}
}
