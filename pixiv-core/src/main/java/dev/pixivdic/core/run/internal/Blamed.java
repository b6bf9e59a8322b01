package dev.pixivdic.core.run.internal;

/**
 * An unchecked exception or an {@link Error} of a part the engine calls (the source, the sink),
 * carried to the run loop so that the report names that part and its class: an embedder's bug
 * is theirs, not "the run".
 */
final class Blamed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The part, as the report names it: "the source (com.example.MySource)". */
  final String part;

  Blamed(String part, Throwable cause) {
    super(cause);
    this.part = part;
  }

  /** How the report names {@code part}, an object of an embedder's class: "the sink (Foo)". */
  static String named(String part, Object of) {
    String name = of.getClass().getName();
    int lambda = name.indexOf("$$Lambda");
    // A lambda's class is named after the class that wrote it, and then a number of no use.
    return part + " (" + (lambda > 0 ? name.substring(0, lambda) + " lambda" : name) + ")";
  }
}
