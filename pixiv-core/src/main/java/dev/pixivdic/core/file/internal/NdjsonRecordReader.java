package dev.pixivdic.core.file.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.pixivdic.support.internal.ControlChars;
import dev.pixivdic.support.internal.LogText;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object a line with a string {@code url} (or another key field given to the
 * constructor); other scalar fields pass through as text, nulls, arrays and objects are left out.
 * A field holding half a character (JSON's {@code \ud83d} alone) makes the line bad: it has no
 * UTF-8 form to pass through in.
 * Blank lines are ignored. A key that is an explicit JSON {@code null} yields
 * {@link RecordReader.Raw#noKey}, which the source skips without calling it a bad line.
 */
final class NdjsonRecordReader implements RecordReader {
  private static final JsonFactory JSON = new JsonFactory();

  private final UrlListReader.LineCountingReader in;
  private final String column;

  NdjsonRecordReader(UrlListReader.LineCountingReader in) {
    this(in, "url");
  }

  NdjsonRecordReader(UrlListReader.LineCountingReader in, String column) {
    this.in = in;
    this.column = column;
  }

  @Override
  public Raw next() throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (line == UrlListReader.TOO_LONG) {
        return Raw.bad(in.lineNumber(), in.tooLongMessage());
      }
      if (line.indexOf(UrlListReader.NOT_UTF8) >= 0) {
        return Raw.bad(in.lineNumber(), UrlListReader.NOT_UTF8_MESSAGE);
      }
      if (!line.isBlank()) {
        return parse(in.lineNumber(), line);
      }
    }
    return null;
  }

  private Raw parse(long lineNo, String line) throws IOException {
    String url = null;
    boolean nullKey = false;
    // An exact-case key wins over one that differs only in case, wherever it stands;
    // two that differ only in case, without an exact one, are ambiguous.
    String keyName = null;
    Map<String, String> attributes = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Raw.bad(lineNo, "not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equalsIgnoreCase(column)) {
          boolean exact = name.equals(column);
          if (keyName != null && !keyName.equals(column) && !exact) {
            return Raw.bad(lineNo, "both '" + keyName + "' and '" + name + "' could be the '"
                + column + "' field; rename the one meant to '" + column + "', or ask for the"
                + " field '" + keyName + "' or '" + name + "' as written");
          }
          if (keyName != null && keyName.equals(column)) {
            p.skipChildren();
            continue;
          }
          keyName = name;
          nullKey = false;
          url = null;
          if (value == JsonToken.VALUE_NULL) {
            nullKey = true;
          } else if (value != JsonToken.VALUE_STRING) {
            return Raw.bad(lineNo, "'" + name + "' must be a string");
          } else {
            url = p.getText();
          }
        } else if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
          String text = p.getText();
          java.util.Optional<String> half = ControlChars.firstUnpairedSurrogate(name + text);
          if (half.isPresent()) {
            // Written to a sink or an archive's index, it would become '?' unseen.
            return Raw.bad(lineNo, "'" + LogText.escaped(name, 100) + "' holds half a character"
                + " (an unpaired surrogate, with no UTF-8 form) in its name or value");
          }
          attributes.put(name, text);
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
    if (url == null && nullKey) {
      return Raw.noKey(lineNo);
    }
    if (url == null) {
      return Raw.bad(lineNo, "no '" + column + "' field");
    }
    return Raw.ok(lineNo, url, attributes);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
