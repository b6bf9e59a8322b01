package dev.pixivdic.examples.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads files of the repository this module is checked out in. */
final class RepoFiles {

  static final ObjectMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new JsonMapper();

  private RepoFiles() {}

  static Path root() {
    String root = System.getProperty("pixiv.repo.root");
    Path p = root != null ? Path.of(root) : Path.of("../..");
    return p.toAbsolutePath().normalize();
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Files directly in a directory of the repository whose names end with the suffix, sorted. */
  static List<Path> list(String dir, String suffix) {
    try (Stream<Path> s = Files.list(path(dir))) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML file (documents separated by {@code ---}). */
  static List<JsonNode> yamlDocuments(Path file) {
    try {
      List<JsonNode> docs = new ArrayList<>();
      try (var parser = new YAMLFactory().createParser(file.toFile())) {
        var it = YAML.readValues(parser, JsonNode.class);
        while (it.hasNext()) {
          JsonNode n = it.next();
          if (n != null && !n.isNull() && !n.isMissingNode()) {
            docs.add(n);
          }
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
  }
}
