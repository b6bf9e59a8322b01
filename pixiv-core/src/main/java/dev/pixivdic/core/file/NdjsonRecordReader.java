package dev.pixivdic.core.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object a line with a string {@code url}; other scalar fields pass through as text,
 * nulls, arrays and objects are left out. Blank lines are ignored.
 */
final class NdjsonRecordReader implements RecordReader {
  private static final JsonFactory JSON = new JsonFactory();

  private final UrlListReader.LineCountingReader in;

  NdjsonRecordReader(UrlListReader.LineCountingReader in) {
    this.in = in;
  }

  @Override
  public Raw next() throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.indexOf(UrlListReader.NOT_UTF8) >= 0) {
        return Raw.bad(in.lineNumber(), UrlListReader.NOT_UTF8_MESSAGE);
      }
      if (!line.isBlank()) {
        return parse(in.lineNumber(), line);
      }
    }
    return null;
  }

  private static Raw parse(long lineNo, String line) throws IOException {
    String url = null;
    Map<String, String> attributes = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Raw.bad(lineNo, "not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equalsIgnoreCase("url")) {
          if (value != JsonToken.VALUE_STRING) {
            return Raw.bad(lineNo, "'url' must be a string");
          }
          url = p.getText();
        } else if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
          attributes.put(name, p.getText());
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return Raw.bad(lineNo, "not a single JSON object");
      }
    } catch (JsonProcessingException e) {
      return Raw.bad(lineNo, "malformed JSON: " + e.getOriginalMessage());
    }
    if (url == null) {
      return Raw.bad(lineNo, "no 'url' field");
    }
    return Raw.ok(lineNo, url, attributes);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
