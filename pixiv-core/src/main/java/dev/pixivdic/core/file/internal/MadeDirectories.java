package dev.pixivdic.core.file.internal;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a writer made on the way to its file, so that a run that leaves nothing in
 * them can take them away again: only those it made itself (one another process made at the
 * same moment is not counted), the deepest first, and only while they are empty. Not
 * thread-safe: its writer serialises calls.
 */
final class MadeDirectories {

  /** No directory made. */
  static final MadeDirectories NONE = new MadeDirectories(List.of());

  private final List<Path> deepestFirst;

  private MadeDirectories(List<Path> deepestFirst) {
    this.deepestFirst = List.copyOf(deepestFirst);
  }

  /**
   * Makes {@code dir} and its missing parents, as {@link Files#createDirectories} does, and
   * returns those this call made. When one cannot be made, those made before it are taken away
   * again (while empty) and the failure thrown.
   *
   * @throws FileAlreadyExistsException when something that is not a directory has a name on the
   *     way
   */
  static MadeDirectories create(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.add(p);
    }
    List<Path> made = new ArrayList<>();
    try {
      for (int i = missing.size() - 1; i >= 0; i--) {
        Path p = missing.get(i);
        try {
          Files.createDirectory(p);
          made.add(0, p);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(p)) {
            throw e;
          }
          // Another process made it just now: it is theirs, not ours to take away.
        }
      }
    } catch (IOException | RuntimeException e) {
      new MadeDirectories(made).removeQuietly(e);
      throw e;
    }
    return made.isEmpty() ? NONE : new MadeDirectories(made);
  }

  /**
   * Removes the directories made, the deepest first, stopping at the first that holds anything
   * (its parents do too); one already gone is passed over.
   *
   * @throws IOException when an empty one could not be removed
   */
  void removeIfEmpty() throws IOException {
    for (Path p : deepestFirst) {
      try {
        Files.delete(p);
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (NoSuchFileException e) {
        // taken away by someone else: its parents may still be empty
      }
    }
  }

  /** As {@link #removeIfEmpty}, a failure added to {@code failure}. */
  void removeQuietly(Exception failure) {
    try {
      removeIfEmpty();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
