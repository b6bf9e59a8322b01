package dev.pixivdic.launcher.kube;

import java.util.concurrent.ThreadFactory;

/**
 * The launcher's one way to make threads: daemons, so that a stuck stream or a forgotten timer
 * never keeps the JVM alive after the run has decided its exit code.
 */
public final class Daemons {
  private Daemons() {}

  /** A daemon thread, not started, running {@code task}. */
  public static Thread thread(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    return t;
  }

  /** A factory of daemon threads that all bear {@code name}. */
  public static ThreadFactory factory(String name) {
    return task -> thread(task, name);
  }
}
