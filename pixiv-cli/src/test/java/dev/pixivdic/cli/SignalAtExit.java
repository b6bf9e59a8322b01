package dev.pixivdic.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@link SignalAtExitTest}: runs {@code pixiv} with the given arguments and,
 * once {@code main} has decided its exit code and is about to exit, sends itself SIGTERM and
 * waits until the JVM has begun to exit on it, so the signal lands in the last step of every
 * command.
 */
final class SignalAtExit {

  private SignalAtExit() {}

  public static void main(String[] args) {
    CountDownLatch exiting = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(exiting::countDown));
    Main.beforeExit = code -> {
      try {
        new ProcessBuilder("kill", "-TERM", String.valueOf(ProcessHandle.current().pid()))
            .inheritIO().start().waitFor();
        exiting.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    Main.main(args);
  }
}
