package dev.pixivdic.core.resolve.internal;

import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The resolve corpus ({@code corpus/resolve/site.tsv}) as an in-memory fetcher. */
final class SearchCorpus implements Fetcher {

  static final Path DIR =
      Path.of("src", "test", "resources", "dev", "pixivdic", "core", "resolve", "search");

  record Entry(int status, byte[] body) {}

  final List<URI> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Entry> pages = new HashMap<>();

  SearchCorpus() {
    try {
      for (String line : Files.readAllLines(DIR.resolve("site.tsv"))) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        pages.put(f[0] + "#" + f[1],
            new Entry(Integer.parseInt(f[2]), Files.readAllBytes(DIR.resolve(f[3]))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public FetchResponse get(URI siteUri) {
    requests.add(siteUri);
    String query = null;
    String page = null;
    for (String kv : siteUri.getRawQuery().split("&")) {
      String[] p = kv.split("=", 2);
      String v = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
      if (p[0].equals("query")) {
        query = v;
      } else if (p[0].equals("page")) {
        page = v;
      }
    }
    Entry e = pages.get(query + "#" + page);
    if (e == null) {
      throw new AssertionError("unexpected request " + siteUri + " (query '" + query + "')");
    }
    return new FetchResponse(siteUri, siteUri, e.status(), "text/html; charset=utf-8", e.body(), 1,
        Duration.ZERO);
  }

  @Override
  public FetchStats stats() {
    throw new UnsupportedOperationException("not needed by the resolver");
  }

  @Override
  public void close() {}
}
