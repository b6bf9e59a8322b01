package dev.pixivdic.bigquery;

import com.google.cloud.bigquery.BigQueryException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A cause of a failure, copied with every upload session id in its message masked
 * ({@link Errors#masked(String)}), for the exceptions this module lets out: the client's own
 * exception of a failed upload holds the session's URL, and an embedder that logs a failure
 * logs its causes too. The copy keeps the original's class name (in {@link #toString()}), stack
 * trace, causes and suppressed exceptions, each masked the same way.
 */
final class MaskedCause extends Exception {
  private static final long serialVersionUID = 1L;

  private final String className;

  private MaskedCause(Throwable original, Throwable cause) {
    super(maskedMessage(original), cause);
    this.className = original.getClass().getName();
  }

  /**
   * {@code t} itself when no message along its causes and suppressed exceptions holds an
   * upload session id; else a copy in which none does. A {@link BigQueryException} of the upload
   * protocol (no parsed errors) stays one, with its status code; any other is a
   * {@code MaskedCause} that prints as the original's class.
   */
  static Throwable of(Throwable t) {
    return t == null || isClean(t, newSeen()) ? t : copy(t, newSeen());
  }

  @Override
  public String toString() {
    String message = getLocalizedMessage();
    return message == null ? className : className + ": " + message;
  }

  private static Throwable copy(Throwable t, Set<Throwable> seen) {
    seen.add(t);
    Throwable cause = t.getCause() == null || seen.contains(t.getCause()) ? null
        : maskedOrSame(t.getCause(), seen);
    Throwable copy = t instanceof BigQueryException e
        && (e.getErrors() == null || e.getErrors().isEmpty())
        ? new BigQueryException(e.getCode(), maskedMessage(e), cause)
        : new MaskedCause(t, cause);
    copy.setStackTrace(t.getStackTrace());
    for (Throwable s : t.getSuppressed()) {
      if (!seen.contains(s)) {
        copy.addSuppressed(maskedOrSame(s, seen));
      }
    }
    return copy;
  }

  /** A clean part of the chain is kept as it is (its types, for whoever inspects them). */
  private static Throwable maskedOrSame(Throwable t, Set<Throwable> seen) {
    return isClean(t, newSeen()) ? t : copy(t, seen);
  }

  private static boolean isClean(Throwable t, Set<Throwable> seen) {
    if (!seen.add(t)) {
      return true;
    }
    String message = t.getMessage();
    if (message != null && !Errors.masked(message).equals(message)) {
      return false;
    }
    for (Throwable s : t.getSuppressed()) {
      if (!isClean(s, seen)) {
        return false;
      }
    }
    return t.getCause() == null || isClean(t.getCause(), seen);
  }

  private static String maskedMessage(Throwable t) {
    return t.getMessage() == null ? null : Errors.masked(t.getMessage());
  }

  private static Set<Throwable> newSeen() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
