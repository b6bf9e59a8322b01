package dev.pixivdic.benchmarks;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.ParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Peak memory of parsing the largest page accepted: an article page whose
 * {@code __NEXT_DATA__} is padded until the page is {@code MiB} long (a real page is under
 * 1 MiB; the issue that prompted this was a 14 MB one). Parses it three times, then prints the
 * process's peak resident set ({@code VmHWM}) and the heap cap, for {@code MemoryBudgetIT} and
 * docs/performance.md.
 *
 * <pre>
 * java [JVM options] -cp examples/benchmarks/target/benchmarks.jar \
 *     dev.pixivdic.benchmarks.ParseMemory [MiB, default: the parser's limit]
 * </pre>
 */
public final class ParseMemory {

  private ParseMemory() {}

  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) << 20 : ArticleParser.MAX_BODY_BYTES;
    byte[] page = page(size);
    ParseResult last = null;
    for (int i = 0; i < 3; i++) {
      last = ArticleParser.create().parse(
          new Page(ArticleUrl.ofTitle("初音ミク"), 200, "text/html; charset=utf-8", page));
    }
    System.out.printf(Locale.ROOT, "parsed a %d-byte page: %s%n", page.length, last.outcome());
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM") || line.startsWith("VmRSS")) {
        System.out.println(line.replaceAll("\\s+", " "));
      }
    }
    System.out.printf(Locale.ROOT, "max heap %d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
  }

  /** The corpus's embedded-JSON page, padded inside its JSON to exactly {@code size} bytes. */
  static byte[] page(int size) throws IOException {
    String html;
    try (InputStream in = ParseMemory.class.getResourceAsStream(
        "/corpus/article/current-nextdata-full.html")) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String marker = "\"pageProps\": {";
    int found = html.indexOf(marker);
    if (found < 0) {
      throw new IllegalStateException("the corpus page has no pageProps to pad");
    }
    int at = found + marker.length();
    int fixed = html.getBytes(StandardCharsets.UTF_8).length + "\"padding\":[],".length();
    StringBuilder pad = new StringBuilder("\"padding\":[");
    String item = "{\"tagName\":\"padding\",\"abstract\":\"" + "x".repeat(200) + "\"},";
    while (fixed + pad.length() + item.length() < size) {
      pad.append(item);
    }
    if (pad.charAt(pad.length() - 1) == ',') {
      pad.setLength(pad.length() - 1);
    }
    pad.append("],");
    String out = html.substring(0, at) + pad + html.substring(at);
    byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
    return bytes.length > size ? java.util.Arrays.copyOf(bytes, size) : bytes;
  }
}
