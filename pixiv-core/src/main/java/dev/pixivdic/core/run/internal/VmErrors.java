package dev.pixivdic.core.run.internal;

/** What to tell an operator when the JVM failed a run (out of memory, out of stack). */
public final class VmErrors {

  private VmErrors() {}

  /**
   * The problem {@code e} is, with what to do about it: an {@link OutOfMemoryError} asks for
   * fewer requests in flight or a larger heap, not for a retry with the same settings.
   */
  public static String advice(VirtualMachineError e) {
    if (e instanceof OutOfMemoryError) {
      return "out of memory (" + e.getMessage() + "): lower --concurrency, split the source"
          + " into more shards, or raise the heap (-Xmx); a retry with the same settings fails"
          + " the same way";
    }
    return "the JVM failed: " + e;
  }
}
