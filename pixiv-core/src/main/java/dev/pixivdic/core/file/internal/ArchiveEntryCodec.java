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
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON line of a {@link PageArchive.Entry} in the archive index:
 * {@code {"url":..., "http_status":200, "content_type":..., "fetched_at":"<ISO-8601>",
 * "sha256":..., "final_url":..., "redirects":[301], "attributes": {...}}}: {@code final_url}
 * and {@code redirects} only when the site served the page from another URL (a line without
 * them, as every line of an older archive, is a page served for its own URL), the last only
 * when the item had pass-through columns. A reader skips fields it does not know, so an older
 * version reads a newer archive's lines as before.
 * Streams through Jackson's core parser, so reading a million-line index makes
 * no tree per line. Stateless and thread-safe.
 */
final class ArchiveEntryCodec {

  private static final JsonFactory JSON = new JsonFactory();

  /** What the index's lines look like, for {@link AppendLog}. */
  static final AppendLog.Format FORMAT = new AppendLog.Format("a page archive index",
      List.of("url", "http_status", "fetched_at", "sha256"), ArchiveEntryCodec::isEntry);

  private ArchiveEntryCodec() {}

  /** How many characters {@code value} takes in a line, as a JSON string with its quotes. */
  static int encodedLength(String value) {
    StringWriter out = new StringWriter(value.length() + 2);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeString(value);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.getBuffer().length();
  }

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
      if (e.finalUrl() != null) {
        g.writeStringField("final_url", e.finalUrl().toString());
        g.writeArrayFieldStart("redirects");
        for (int status : e.redirects()) {
          g.writeNumber(status);
        }
        g.writeEndArray();
      }
      if (!e.attributes().isEmpty()) {
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
          g.writeStringField(a.getKey(), a.getValue());
        }
        g.writeEndObject();
      }
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
    String finalUrl = null;
    List<Integer> redirects = new ArrayList<>();
    Map<String, String> attributes = new LinkedHashMap<>();
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
          case "final_url" -> finalUrl = p.getValueAsString();
          case "redirects" -> readRedirects(p, t, redirects);
          case "attributes" -> readAttributes(p, t, attributes);
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
      return new Entry(ArticleUrl.parse(url), status, contentType, Instant.parse(fetchedAt), sha,
          attributes, finalUrl == null ? null : new URI(finalUrl), redirects);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'final_url' is not a URI: " + finalUrl, e);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'fetched_at' is not an ISO-8601 instant: " + fetchedAt,
          e);
    }
  }

  /** The statuses of the redirects: an array of whole numbers. */
  private static void readRedirects(JsonParser p, JsonToken t, List<Integer> into)
      throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("'redirects' is not an array");
    }
    for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
      if (n != JsonToken.VALUE_NUMBER_INT) {
        throw new IllegalArgumentException("'redirects' holds " + n + ", not a status");
      }
      into.add(p.getIntValue());
    }
  }

  /** The pass-through columns: an object of strings. */
  private static void readAttributes(JsonParser p, JsonToken t, Map<String, String> into)
      throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("'attributes' is not an object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw new IllegalArgumentException("'attributes." + name + "' is not a string");
      }
      into.put(name, p.getText());
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
