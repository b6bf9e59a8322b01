package dev.pixivdic.launcher.kube;

import java.io.IOException;

/**
 * The credentials a request needs could not be had: an exec plugin that is missing, failed,
 * hung or printed no credential. Not transient: trying the request again runs the same plugin to
 * the same end (kubectl does not retry either), so the launch stops at once with the message.
 */
public final class CredentialsException extends IOException {
  private static final long serialVersionUID = 1L;

  CredentialsException(String message) {
    super(message);
  }

  CredentialsException(String message, Throwable cause) {
    super(message, cause);
  }
}
