package dev.pixivdic.launcher.kube;

import java.io.IOException;

/**
 * An answer of the API server that cannot be used: not JSON, JSON cut off, or JSON of another
 * shape than the object asked for (a field of the wrong type, a list that is {@code null}, a Job
 * without its uid). The message says what was wrong in the API's own terms ({@code
 * status.succeeded is "one", not a number}), never a parser's internals. Such an answer is never
 * read as "absent": callers treat it as a transient failure, like no answer.
 */
public final class MalformedAnswerException extends IOException {
  private static final long serialVersionUID = 1L;

  MalformedAnswerException(String message) {
    super(message);
  }
}
