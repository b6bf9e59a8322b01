package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The golden corpus under {@code corpus/} on the test classpath (a directory in this module's
 * build, a jar for users of the test-jar such as the benchmarks). A case is a page file
 * ({@code <name>.html} or {@code <name>.api.json}) next to {@code <name>.expected.json}; see
 * {@code corpus/README.md}.
 */
public final class GoldenCorpus {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a case holds. */
  public enum Kind { ARTICLE_HTML, ARTICLE_API, SEARCH_HTML }

  /**
   * One corpus case.
   *
   * @param name the file name without extensions, with its folder ({@code article/...})
   * @param kind what the page file is
   * @param body the page file's bytes
   * @param expected the parsed {@code .expected.json}
   */
  public record Case(String name, Kind kind, byte[] body, JsonNode expected) {
    public Case {
      requireNonNull(name, "name");
      requireNonNull(kind, "kind");
      requireNonNull(body, "body");
      requireNonNull(expected, "expected");
    }

    /** The page's canonical URL from the expected file. */
    public String url() {
      return expected.path("url").asText();
    }

    /** The HTTP status from the expected file, 0 if unknown. */
    public int httpStatus() {
      return expected.path("http_status").asInt(0);
    }

    /** The content type from the expected file, or null. */
    public String contentType() {
      JsonNode t = expected.get("content_type");
      return t == null || t.isNull() ? null : t.asText();
    }

    /** For an API case: the {@code get_article} response bytes. */
    public byte[] getArticleJson() {
      return apiPart("get_article");
    }

    /** For an API case: the {@code get_article_info} response bytes, or null. */
    public byte[] getArticleInfoJson() {
      return apiPart("get_article_info");
    }

    private byte[] apiPart(String key) {
      try {
        JsonNode part = JSON.readTree(body).get(key);
        return part == null || part.isNull() ? null : JSON.writeValueAsBytes(part);
      } catch (IOException e) {
        throw new UncheckedIOException("case " + name + " is not a JSON pair", e);
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private GoldenCorpus() {}

  /** Every case, sorted by name. */
  public static List<Case> cases() {
    URL root = GoldenCorpus.class.getResource("/corpus/README.md");
    if (root == null) {
      throw new IllegalStateException("corpus/README.md is not on the classpath");
    }
    try {
      URI uri = root.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
          return load(fs.getPath("/corpus"));
        } catch (FileSystemAlreadyExistsException e) {
          // Another caller has the jar open; read through its file system and leave it open.
          return load(FileSystems.getFileSystem(uri).getPath("/corpus"));
        }
      }
      return load(Path.of(uri).getParent());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("corpus location is not a URI: " + root, e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the corpus at " + root + " failed", e);
    }
  }

  private static List<Case> load(Path dir) throws IOException {
    List<Case> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path p : files) {
      String file = p.getFileName().toString();
      String rel = dir.relativize(p).toString().replace('\\', '/');
      Kind kind;
      String name;
      if (file.endsWith(".api.json")) {
        kind = Kind.ARTICLE_API;
        name = rel.substring(0, rel.length() - ".api.json".length());
      } else if (file.endsWith(".html")) {
        kind = rel.startsWith("search/") ? Kind.SEARCH_HTML : Kind.ARTICLE_HTML;
        name = rel.substring(0, rel.length() - ".html".length());
      } else {
        continue;
      }
      Path expected = p.resolveSibling(
          name.substring(name.lastIndexOf('/') + 1) + ".expected.json");
      if (!Files.exists(expected)) {
        throw new IllegalStateException("corpus page " + rel + " has no " + expected.getFileName());
      }
      out.add(new Case(name, kind, Files.readAllBytes(p),
          JSON.readTree(Files.readAllBytes(expected))));
    }
    return out;
  }
}
