package dev.pixivdic.core.buildcheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Where a class was loaded from (a class directory or a jar), and the files there. */
public final class ClassLocation {

  private ClassLocation() {}

  /** The class directory or jar that {@code c} was loaded from. */
  public static Path of(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalArgumentException(c + " has no code source");
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(c + " was loaded from " + source.getLocation(), e);
    }
  }

  /** The file names under a class directory or in a jar, '/'-separated; to be closed. */
  static Entries entries(Path root) throws IOException {
    if (Files.isDirectory(root)) {
      Stream<Path> files = Files.walk(root);
      return new Entries(files.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/')), files::close);
    }
    JarFile jar = new JarFile(root.toFile());
    return new Entries(jar.stream().map(JarEntry::getName), () -> {
      try {
        jar.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The names of one location's files. */
  record Entries(Stream<String> names, Runnable closer) implements AutoCloseable {
    @Override
    public void close() {
      names.close();
      closer.run();
    }
  }
}
