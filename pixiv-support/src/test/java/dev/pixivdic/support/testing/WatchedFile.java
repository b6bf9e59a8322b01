package dev.pixivdic.support.testing;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for text to appear in a file another process writes (a child's standard error sent to a
 * file), woken by the file system's notice of each change (inotify on Linux) rather than by
 * reading the file again and again. The child's output stays a file, as it is in production.
 */
public final class WatchedFile {

  private WatchedFile() {}

  /**
   * Waits until {@code file}, which need not exist yet, holds {@code text}, and returns what it
   * then holds (read as UTF-8; a character cut in half by a write in progress is replaced).
   *
   * @throws AssertionError when {@code bound} passes first, with what the file held; the bound
   *     only limits a failure, a change ends the wait at once
   */
  public static String awaitContaining(Path file, String text, Duration bound)
      throws IOException, InterruptedException {
    Path dir = file.toAbsolutePath().getParent();
    Path name = file.getFileName();
    long end = System.nanoTime() + bound.toNanos();
    try (WatchService watch = dir.getFileSystem().newWatchService()) {
      // Registered before the first read: a write after that read is a notice.
      dir.register(watch, ENTRY_CREATE, ENTRY_MODIFY);
      String now = read(file);
      while (!now.contains(text)) {
        long left = end - System.nanoTime();
        WatchKey key = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
        if (key == null) {
          throw new AssertionError("'" + text + "' not in " + file + " within " + bound
              + "; it holds:\n" + read(file));
        }
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
          ours |= e.kind() == OVERFLOW || name.equals(e.context());
        }
        key.reset();
        if (ours) {
          now = read(file);
        }
      }
      return now;
    }
  }

  private static String read(Path file) throws IOException {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    }
  }
}
