package dev.pixivdic.launcher.run;

/** The launch cannot go on; carries the exit code and a message for the user. */
final class LaunchFailure extends Exception {
  private static final long serialVersionUID = 1L;
  final int exitCode;

  LaunchFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
