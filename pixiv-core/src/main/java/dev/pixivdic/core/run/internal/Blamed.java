package dev.pixivdic.core.run.internal;

/**
 * An unchecked exception of a part the engine calls (the source, the sink), carried to the run
 * loop so that the report names that part: an embedder's bug is theirs, not "the run".
 */
final class Blamed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The part, as the report names it: "the source", "the sink". */
  final String part;

  Blamed(String part, RuntimeException cause) {
    super(cause);
    this.part = part;
  }

  @Override
  public synchronized RuntimeException getCause() {
    return (RuntimeException) super.getCause();
  }
}
