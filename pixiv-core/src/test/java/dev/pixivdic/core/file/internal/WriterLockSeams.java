package dev.pixivdic.core.file.internal;

/** The writer lock's seams, for tests outside its package. */
public final class WriterLockSeams {

  private WriterLockSeams() {}

  /** Runs {@code r} when a run finds another taking the lock and waits for it to record itself. */
  public static void onAwaitingStart(Runnable r) {
    WriterLock.Starting.awaiting = r;
  }
}
