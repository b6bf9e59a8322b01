package dev.pixivdic.core.file.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sets or clears a file attribute with {@code chattr} (append-only, immutable), for tests of
 * files the system will not let a run write; false where it cannot (no chattr, not root, a file
 * system that keeps no attributes), for the test to be skipped.
 */
public final class Chattr {

  private Chattr() {}

  /** Runs {@code chattr FLAG FILE} ({@code +a}, {@code -i}...); whether it succeeded. */
  public static boolean run(String flag, Path file) {
    try {
      Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // no chattr
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
