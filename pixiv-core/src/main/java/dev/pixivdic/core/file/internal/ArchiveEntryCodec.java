package dev.pixivdic.core.file.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.file.internal.PageArchive.Entry;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The JSON line of a {@link PageArchive.Entry} in the archive index:
 * {@code {"url":..., "http_status":200, "content_type":..., "fetched_at":"<ISO-8601>",
 * "sha256":...}}. Streams through Jackson's core parser, so reading a million-line index makes
 * no tree per line. Stateless and thread-safe.
 */
final class ArchiveEntryCodec {

  private static final JsonFactory JSON = new JsonFactory();

  /** What the index's lines look like, for {@link AppendLog}. */
  static final AppendLog.Format FORMAT = new AppendLog.Format("a page archive index",
      List.of("url", "http_status", "fetched_at", "sha256"), ArchiveEntryCodec::isEntry);

  private ArchiveEntryCodec() {}

  /** The entry as one line of JSON, without a newline. */
  static String toLine(Entry e) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("url", e.url().canonical());
      g.writeNumberField("http_status", e.httpStatus());
      if (e.contentType() == null) {
        g.writeNullField("content_type");
      } else {
        g.writeStringField("content_type", e.contentType());
      }
      g.writeStringField("fetched_at", e.fetchedAt().toString());
      g.writeStringField("sha256", e.sha256());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }

  /**
   * Parses an index line.
   *
   * @throws IllegalArgumentException saying why the line is not an entry
   */
  static Entry parse(String line) {
    String url = null;
    String contentType = null;
    String fetchedAt = null;
    String sha = null;
    int status = -1;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "url" -> url = p.getValueAsString();
          case "content_type" -> contentType = t == JsonToken.VALUE_NULL ? null : p.getText();
          case "fetched_at" -> fetchedAt = p.getValueAsString();
          case "sha256" -> sha = p.getValueAsString();
          case "http_status" -> status = p.getValueAsInt(-1);
          default -> p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (url == null || fetchedAt == null || sha == null) {
      throw new IllegalArgumentException("needs 'url', 'fetched_at' and 'sha256'");
    }
    try {
      return new Entry(ArticleUrl.parse(url), status, contentType, Instant.parse(fetchedAt), sha);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'fetched_at' is not an ISO-8601 instant: " + fetchedAt,
          e);
    }
  }

  private static boolean isEntry(String line) {
    try {
      parse(line);
      return true;
    } catch (RuntimeException e) {
      // Whatever keeps the line from being read back makes it a torn line.
      return false;
    }
  }
}
