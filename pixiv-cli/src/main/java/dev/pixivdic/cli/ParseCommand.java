package dev.pixivdic.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.InvalidArticleUrlException;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.file.internal.CorruptArchiveException;
import dev.pixivdic.core.file.internal.PageArchive;
import dev.pixivdic.core.internal.JsonErrors;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Disagreement;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.PageTooLargeException;
import dev.pixivdic.core.parse.ParseResult;
import dev.pixivdic.support.internal.TextFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pixiv parse}: parse saved pages offline into rows. */
@Command(name = "parse", mixinStandardHelpOptions = true,
    header = "Parse saved pages (HTML, or the site's _api JSON) into rows, one JSON line each.",
    description = {"The rows go to stdout.",
        "Exit 0 when every input was recognised, 65 when any was UNRECOGNIZED (also when a file"
            + " could not be read besides), 2 on usage errors or unreadable files, 74 when the rows"
            + " could not be written to stdout."})
final class ParseCommand implements Callable<Integer> {

  /** Standard input; tests replace it. */
  static Supplier<InputStream> stdin = () -> System.in;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = new JsonFactory();

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "Saved pages; - reads standard input. A JSON file holds get_article (and "
          + "get_article_info) as the site's _api returns them. Gzip-compressed input (a page "
          + "kept by scrape --archive, objects/ab/<sha256>.gz) is decompressed first.")
  List<String> files;

  @Option(names = "--url", paramLabel = "URL",
      description = "The article the page(s) belong to (default: the page's canonical link, or "
          + "the JSON's tagName).")
  String url;

  @Option(names = "--status", paramLabel = "CODE", defaultValue = "0",
      description = "The HTTP status the page came with, from 0 to 599 (0: unknown; 1 to 99 are "
          + "no status; 404 pages are NOT_FOUND, 403/429 BLOCKED).")
  int status;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ArticleUrl given = null;
    if (url != null) {
      try {
        given = ArticleUrl.parse(url);
      } catch (InvalidArticleUrlException e) {
        err.println("pixiv parse: --url: " + Logging.escape(e.getMessage()));
        return ExitCodes.USAGE;
      }
    }
    if (status != 0 && (status < 100 || status > 599)) {
      // The range check lets 1-99 through (the option's range is 0 to 599); say what is meant.
      err.println("pixiv parse: --status must be 0 (unknown) or an HTTP status from 100 to 599,"
          + " was " + status);
      return ExitCodes.USAGE;
    }
    if (files.stream().filter("-"::equals).count() > 1) {
      // The second "-" found the stream closed by the first ("Stream closed").
      err.println("pixiv parse: - (standard input) can be given once");
      return ExitCodes.USAGE;
    }
    if (files.stream().anyMatch(String::isEmpty)) {
      // Path.of("") is the working directory ("Is a directory").
      err.println("pixiv parse: an empty path names no file");
      return ExitCodes.USAGE;
    }
    ArticleParser parser = ArticleParser.create();
    int code = ExitCodes.OK;
    for (String file : files) {
      if (!file.equals("-") && dev.pixivdic.support.cli.FileName.namesDirectory(file)
          && Files.isRegularFile(Path.of(file))) {
        // Path.of drops the slash, so file.html/ read file.html; the system opens neither.
        err.println("pixiv parse: " + Logging.escape(file + ": cannot read: it ends with '/',"
            + " but " + Path.of(file) + " is a file, not a directory; name the file without it"));
        code = code == ExitCodes.OK ? ExitCodes.USAGE : code;
        continue;
      }
      Parsed p;
      try {
        byte[] body = read(file);
        // As in a run: a page over the cap is a page the parser does not recognise.
        p = body.length > ArticleParser.MAX_BODY_BYTES
            ? unread(given, "more than the parser's limit of " + ArticleParser.MAX_BODY_BYTES
                + " bytes")
            : parse(parser, body, given);
      } catch (CorruptArchiveException e) {
        // Its message names the file, and what is wrong with it.
        err.println("pixiv parse: " + Logging.escape(e.getMessage() + " (read as a gzip-compressed"
            + " page, as --archive keeps them; pixiv replay --archive DIR reads an archive)"));
        code = code == ExitCodes.OK ? ExitCodes.USAGE : code;
        continue;
      } catch (NoSuchFileException e) {
        // The file's path, or for "-" a closed standard input (StandardInput), and why.
        err.println("pixiv parse: " + Logging.escape(Outcomes.message(e)));
        code = code == ExitCodes.OK ? ExitCodes.USAGE : code;
        continue;
      } catch (IOException | UncheckedIOException e) {
        err.println("pixiv parse: " + Logging.escape(file + ": cannot read: " + e.getMessage()));
        code = code == ExitCodes.OK ? ExitCodes.USAGE : code;
        continue;
      } catch (PageTooLargeException e) {
        p = unread(given, e.getMessage());
      } catch (BadInputException e) {
        err.println("pixiv parse: " + Logging.escape(file + ": " + e.getMessage()));
        code = code == ExitCodes.OK ? ExitCodes.USAGE : code;
        continue;
      }
      out.println(line(p, file));
      out.flush();
      if (p.result().outcome() == Outcome.UNRECOGNIZED) {
        err.println("pixiv parse: " + Logging.escape(file + ": UNRECOGNIZED: "
            + p.result().detail()));
        code = Math.max(code, ExitCodes.PARSE_BREAKAGE);
      }
    }
    return code;
  }

  /**
   * The input's bytes, at most one more than the parser takes: enough to tell a page over the
   * limit, where reading all of {@code /dev/zero} or a 3 GB file ran out of memory. Gzip data
   * (a blob of an {@code --archive}, {@code objects/ab/<sha256>.gz}) is the page it holds,
   * decompressed as {@code pixiv replay} does ({@link PageArchive#inflate}): read as it is, the
   * compressed bytes were an unrecognised page, or a page that names no article.
   *
   * @throws CorruptArchiveException when gzip data is not whole, or not the page its blob name
   *     names
   */
  private byte[] read(String file) throws IOException {
    try (InputStream raw = file.equals("-") ? stdin.get() : Files.newInputStream(Path.of(file));
        InputStream in = new BufferedInputStream(raw)) {
      in.mark(2);
      byte[] head = in.readNBytes(2);
      in.reset();
      if (PageArchive.isGzip(head)) {
        return PageArchive.inflate(in, Path.of(file), ArticleParser.MAX_BODY_BYTES);
      }
      return in.readNBytes(ArticleParser.MAX_BODY_BYTES + 1);
    }
  }

  private Parsed parse(ArticleParser parser, byte[] body, ArticleUrl given) {
    if (looksLikeJson(body)) {
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new BadInputException(JsonErrors.describe(e, true));
      } catch (IOException e) {
        throw new BadInputException("not valid JSON: " + e.getMessage());
      }
      JsonNode article = root.has("get_article") ? root.get("get_article") : root;
      JsonNode info = root.get("get_article_info");
      ArticleUrl u = given;
      if (u == null) {
        String tag = article.path("tagName").asText(null);
        if (tag == null || tag.isBlank()) {
          throw new BadInputException("cannot tell which article this JSON is (no "
              + "tagName): pass --url");
        }
        try {
          u = ArticleUrl.ofTitle(tag);
        } catch (InvalidArticleUrlException e) {
          throw new BadInputException("its tagName is no article title (" + e.getMessage()
              + "): pass --url");
        }
      }
      return new Parsed(u, parser.parseApi(u, bytes(article),
          info == null || info.isNull() ? null : bytes(info)));
    }
    ArticleUrl u = given != null ? given : inferUrl(body)
        .orElseThrow(() -> new BadInputException(
            "cannot tell which article this page is (no canonical link or og:url): pass --url"));
    return new Parsed(u, parser.parse(new Page(u, status, null, body)));
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the input is JSON: its first character, after a byte order mark (UTF-8, UTF-16 or
   * UTF-32, which Jackson reads too) and white space, is {@code {}. Decoded in the encoding its
   * first bytes show ({@link TextFiles#encoding}), as a file source reads them.
   */
  private static boolean looksLikeJson(byte[] body) {
    TextFiles.Encoding encoding = TextFiles.encoding(body);
    int end = Math.min(body.length, 4096);
    int start = Math.min(encoding.mark(), end);
    return new String(body, start, end - start, encoding.charset()).stripLeading()
        .startsWith("{");
  }

  /** The article a saved page names itself in its head: its canonical link, else og:url. */
  static Optional<ArticleUrl> inferUrl(byte[] body) {
    int head = Math.min(body.length, 256 * 1024);
    Document doc;
    try {
      // Decoded as the parser decodes the page: a byte order mark, else <meta charset>, else
      // UTF-8. Read as UTF-8 text, a BOM became a character before <html> that moved the head's
      // links into the body, and a UTF-16 page was no HTML at all.
      doc = Jsoup.parse(new ByteArrayInputStream(body, 0, head), null, ArticleUrl.ORIGIN + "/");
    } catch (IOException e) {
      throw new UncheckedIOException(e); // from memory: cannot happen
    }
    // The head only: a link or meta in the body (a card, a template) may be another article's.
    for (Element e : doc.head().select(
        "link[rel=canonical][href], meta[property=og:url][content]")) {
      String href = e.hasAttr("href") ? e.absUrl("href") : e.attr("content");
      Optional<ArticleUrl> u = ArticleUrl.tryParse(href);
      if (u.isPresent()) {
        return u;
      }
    }
    return Optional.empty();
  }

  private record Parsed(ArticleUrl url, ParseResult result) {}

  private static String line(Parsed p, String file) {
    ParseResult r = p.result();
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      if (r.row().isPresent()) {
        RowJson.writeFields(r.row().get(), g);
      } else if (p.url() != null) {
        g.writeStringField("url", p.url().canonical());
      } else {
        g.writeNullField("url");
      }
      g.writeStringField("outcome", r.outcome().name());
      g.writeStringField("detail", r.detail());
      g.writeObjectFieldStart("provenance");
      for (var e : r.provenance().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue().name());
      }
      g.writeEndObject();
      // Columns left absent because two strategies read them differently, with what each read.
      g.writeObjectFieldStart("disagreements");
      for (Disagreement d : r.disagreements()) {
        g.writeObjectFieldStart(d.column());
        for (var e : d.values().entrySet()) {
          g.writeStringField(e.getKey().name(), e.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeStringField("file", file);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /**
   * A page the parser did not read (over its limit): unrecognised, with the URL given
   * ({@code --url}) or null, so that every file has its line.
   */
  private static Parsed unread(ArticleUrl url, String detail) {
    return new Parsed(url, new ParseResult(Outcome.UNRECOGNIZED, Optional.empty(),
        java.util.Map.of(), detail));
  }

  /** An input that is readable but not usable as given. */
  static final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
      super(message);
    }
  }
}
