package dev.pixivdic.core.resolve.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.pixivdic.core.resolve.ResolutionRow;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolution rows as one JSON object a line, with the original table's column names
 * ({@link #COLUMNS}); {@code url} is JSON {@code null} for a name without a match, and BigQuery,
 * whose column names ignore case, reads it as the original's {@code URL}. Pass-through columns
 * follow as strings. Thread-safe.
 */
public final class ResolutionJson {

  public static final String MIDDLE_CLASS_IP_NAME = "middle_class_ip_name";
  public static final String CLEAN_MIDDLE_CLASS_IP_NAME = "clean_middle_class_ip_name";
  public static final String URL = "url";
  public static final String PIXIV_SEARCH_RESULT_IP = "pixiv_search_result_ip";
  public static final String SEARCH_HIT_NUM = "search_hit_num";
  public static final String UPDATE = "update";
  public static final String STATUS = "status";
  public static final String PAGES_SEARCHED = "pages_searched";
  public static final String RUN_ID = "run_id";
  public static final String SCRAPER_VERSION = "scraper_version";

  /** The fixed columns, in the order they are written. */
  public static final List<String> COLUMNS = List.of(MIDDLE_CLASS_IP_NAME,
      CLEAN_MIDDLE_CLASS_IP_NAME, URL, PIXIV_SEARCH_RESULT_IP, SEARCH_HIT_NUM, UPDATE, STATUS,
      PAGES_SEARCHED, RUN_ID, SCRAPER_VERSION);

  private static final JsonFactory JSON = new JsonFactory();

  private ResolutionJson() {}

  /** The row as one line of JSON (no newline). */
  public static String write(ResolutionRow row) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField(MIDDLE_CLASS_IP_NAME, row.middleClassIpName());
      g.writeStringField(CLEAN_MIDDLE_CLASS_IP_NAME, row.cleanMiddleClassIpName());
      g.writeStringField(URL, row.url());
      g.writeStringField(PIXIV_SEARCH_RESULT_IP, row.pixivSearchResultIp());
      if (row.searchHitNum() == null) {
        g.writeNullField(SEARCH_HIT_NUM);
      } else {
        g.writeNumberField(SEARCH_HIT_NUM, row.searchHitNum());
      }
      g.writeStringField(UPDATE, row.update().toString());
      g.writeStringField(STATUS, row.status().name());
      g.writeNumberField(PAGES_SEARCHED, row.pagesSearched());
      g.writeStringField(RUN_ID, row.runId());
      g.writeStringField(SCRAPER_VERSION, row.scraperVersion());
      for (Map.Entry<String, String> e : row.passThrough().entrySet()) {
        // In any case: BigQuery's column names ignore it, so "URL" would repeat "url".
        if (!COLUMNS.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
          g.writeStringField(e.getKey(), e.getValue());
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }

  /**
   * Reads a row written by {@link #write}; unknown string fields become pass-through columns.
   *
   * @throws IllegalArgumentException when the line is not such a row (the message says why)
   */
  public static ResolutionRow read(String line) {
    Map<String, String> s = new LinkedHashMap<>();
    Map<String, String> pass = new LinkedHashMap<>();
    Long hits = null;
    int pages = 0;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals(SEARCH_HIT_NUM) && v == JsonToken.VALUE_NUMBER_INT) {
          hits = p.getLongValue();
        } else if (name.equals(PAGES_SEARCHED) && v == JsonToken.VALUE_NUMBER_INT) {
          pages = p.getIntValue();
        } else if (v == JsonToken.VALUE_STRING) {
          (COLUMNS.contains(name) ? s : pass).put(name, p.getText());
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IllegalArgumentException("not a single JSON object");
      }
      return new ResolutionRow(required(s, MIDDLE_CLASS_IP_NAME),
          required(s, CLEAN_MIDDLE_CLASS_IP_NAME), s.get(URL), s.get(PIXIV_SEARCH_RESULT_IP), hits,
          Instant.parse(required(s, UPDATE)),
          ResolutionRow.Status.valueOf(required(s, STATUS)), pages, required(s, RUN_ID),
          required(s, SCRAPER_VERSION), pass);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + UPDATE + "' is not an ISO-8601 instant", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading JSON from a string cannot fail", e);
    }
  }

  private static String required(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no '" + name + "'");
    }
    return v;
  }
}
