package dev.pixivdic.launcher.kube;

import java.util.List;
import java.util.Optional;

/** A pod as the API server returns it, with the fields the launcher reads. */
public record Pod(Meta metadata, Status status) {
  public Pod {
    metadata = metadata == null ? Meta.NONE : metadata;
    status = status == null ? new Status(null, null, null, null) : status;
  }

  /**
   * @param phase {@code Pending}, {@code Running}, {@code Succeeded}, {@code Failed}, or empty
   * @param reason why the pod is in its phase ({@code Evicted}), or empty
   */
  public record Status(String phase, String reason, List<Condition> conditions,
      List<ContainerStatus> containerStatuses) {
    public Status {
      phase = Fields.text(phase);
      reason = Fields.text(reason);
      conditions = Fields.list(conditions);
      containerStatuses = Fields.list(containerStatuses);
    }
  }

  /**
   * @param state what the container does now
   * @param lastState how its previous run ended, after a restart
   */
  public record ContainerStatus(String name, State state, State lastState) {
    public ContainerStatus {
      name = Fields.text(name);
      state = state == null ? State.NONE : state;
      lastState = lastState == null ? State.NONE : lastState;
    }
  }

  /** At most one of the three is set; the API leaves out the others (they are null here). */
  public record State(Waiting waiting, Running running, Terminated terminated) {
    static final State NONE = new State(null, null, null);

    public Optional<Waiting> waitingIfAny() {
      return Optional.ofNullable(waiting);
    }

    public Optional<Terminated> terminatedIfAny() {
      return Optional.ofNullable(terminated);
    }

    public boolean isRunning() {
      return running != null;
    }
  }

  public record Waiting(String reason, String message) {
    public Waiting {
      reason = Fields.text(reason);
      message = Fields.text(message);
    }
  }

  public record Running(String startedAt) {
    public Running {
      startedAt = Fields.text(startedAt);
    }
  }

  /**
   * @param exitCode the container's exit code
   * @param reason {@code Completed}, {@code Error}, {@code OOMKilled}..., or empty
   * @param message the termination message, or empty
   * @param finishedAt when it ended (ISO-8601, which sorts as text), or empty
   */
  public record Terminated(int exitCode, String reason, String message, String finishedAt) {
    public Terminated {
      reason = Fields.text(reason);
      message = Fields.text(message);
      finishedAt = Fields.text(finishedAt);
    }
  }
}
