package dev.pixivdic.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@link ArticleRow} as one line of JSON with the snake_case column names of
 * {@link RowSchema}, in table order, nulls written out, timestamps as ISO-8601 UTC. The output
 * can be loaded into BigQuery as newline-delimited JSON as is. Thread-safe.
 */
public final class RowJson {

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

  private RowJson() {}

  /** The row as one line of JSON (no line break). */
  public static String write(ArticleRow row) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(row, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes the row as one JSON object to a generator; extra fields may follow by the caller. */
  public static void writeFields(ArticleRow row, JsonGenerator g) throws IOException {
    str(g, "url", row.url());
    str(g, "title", row.title());
    str(g, "sub_title", row.subTitle());
    num(g, "bookmark", row.bookmark());
    str(g, "summary", row.summary());
    str(g, "illust_view_url", row.illustViewUrl());
    str(g, "novel_view_url", row.novelViewUrl());
    str(g, "illust_post_url", row.illustPostUrl());
    str(g, "novel_post_url", row.novelPostUrl());
    num(g, "view_count", row.viewCount());
    num(g, "comment_count", row.commentCount());
    num(g, "works_count", row.worksCount());
    time(g, "loaded_at", row.loadedAt());
    str(g, "middle_class_ip_name", row.middleClassIpName());
    str(g, "article_id", row.articleId());
    num(g, "checklist_count", row.checklistCount());
    str(g, "parent_article", row.parentArticle());
    list(g, "child_articles", row.childArticles());
    list(g, "sibling_articles", row.siblingArticles());
    list(g, "related_tags", row.relatedTags());
    list(g, "breadcrumbs", row.breadcrumbs());
    time(g, "updated_at", row.updatedAt());
    str(g, "main_illust_url", row.mainIllustUrl());
    str(g, "status", row.status().name());
    str(g, "content_hash", row.contentHash());
    str(g, "scraper_version", row.scraperVersion());
    str(g, "run_id", row.runId());
    for (Map.Entry<String, String> e : row.passThrough().entrySet()) {
      str(g, e.getKey(), e.getValue());
    }
  }

  private static void write(ArticleRow row, JsonGenerator g) throws IOException {
    g.writeStartObject();
    writeFields(row, g);
    g.writeEndObject();
  }

  /**
   * Reads one row from a line of JSON written by {@link #write}. Unknown string fields become
   * pass-through columns; unknown fields of other types are ignored.
   *
   * @throws IllegalArgumentException when the line is not such a row (the message says why)
   */
  public static ArticleRow read(String line) {
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("a row is a JSON object");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      Map<String, String> pass = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY) {
          List<String> items = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(p.getValueAsString());
          }
          values.put(name, items);
        } else if (t == JsonToken.START_OBJECT) {
          p.skipChildren();
        } else if (t == JsonToken.VALUE_NULL) {
          values.put(name, null);
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
          values.put(name, p.getLongValue());
        } else {
          values.put(name, p.getValueAsString());
        }
        if (RowSchema.column(name).isEmpty() && values.get(name) instanceof String s) {
          pass.put(name, s);
        }
      }
      Object url = values.get("url");
      if (!(url instanceof String u)) {
        throw new IllegalArgumentException("a row needs a string 'url'");
      }
      ArticleRow.Builder b = ArticleRow.builder(ArticleUrl.parse(u))
          .title(s(values, "title"))
          .subTitle(s(values, "sub_title"))
          .bookmark(n(values, "bookmark"))
          .summary(s(values, "summary"))
          .illustViewUrl(s(values, "illust_view_url"))
          .novelViewUrl(s(values, "novel_view_url"))
          .illustPostUrl(s(values, "illust_post_url"))
          .novelPostUrl(s(values, "novel_post_url"))
          .viewCount(n(values, "view_count"))
          .commentCount(n(values, "comment_count"))
          .worksCount(n(values, "works_count"))
          .loadedAt(t(values, "loaded_at"))
          .middleClassIpName(s(values, "middle_class_ip_name"))
          .articleId(s(values, "article_id"))
          .checklistCount(n(values, "checklist_count"))
          .parentArticle(s(values, "parent_article"))
          .childArticles(l(values, "child_articles"))
          .siblingArticles(l(values, "sibling_articles"))
          .relatedTags(l(values, "related_tags"))
          .breadcrumbs(l(values, "breadcrumbs"))
          .updatedAt(t(values, "updated_at"))
          .mainIllustUrl(s(values, "main_illust_url"))
          .contentHash(s(values, "content_hash"))
          .scraperVersion(s(values, "scraper_version"))
          .runId(s(values, "run_id"))
          .passThrough(pass);
      String status = s(values, "status");
      if (status != null) {
        b.status(outcome(status));
      }
      return b.build();
    } catch (JsonProcessingException e) {
      // One line: its number is the reader's to say.
      throw new IllegalArgumentException(JsonErrors.describe(e, false), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Outcome outcome(String status) {
    try {
      return Outcome.valueOf(status);
    } catch (IllegalArgumentException e) {
      // Java's own message ("No enum constant dev.pixivdic.core.Outcome.MATCHED") named a class.
      throw new IllegalArgumentException("a row's status is ARTICLE or NOT_FOUND, was '"
          + status + "'", e);
    }
  }

  private static String s(Map<String, Object> v, String k) {
    Object o = v.get(k);
    if (o == null || o instanceof String) {
      return (String) o;
    }
    if (o instanceof Long) {
      return o.toString();
    }
    throw new IllegalArgumentException("'" + k + "' must be a string");
  }

  private static Long n(Map<String, Object> v, String k) {
    Object o = v.get(k);
    if (o == null || o instanceof Long) {
      return (Long) o;
    }
    try {
      return Long.valueOf((String) o);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + k + "' must be a whole number, was " + o, e);
    }
  }

  private static Instant t(Map<String, Object> v, String k) {
    Object o = v.get(k);
    if (o == null) {
      return null;
    }
    try {
      return Timestamps.parse(o.toString());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + k + "' must be an ISO-8601 instant or BigQuery's"
          + " text of a timestamp, was " + o, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> l(Map<String, Object> v, String k) {
    Object o = v.get(k);
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> list) {
      return ((List<String>) list).stream().filter(java.util.Objects::nonNull).toList();
    }
    throw new IllegalArgumentException("'" + k + "' must be an array");
  }

  private static void str(JsonGenerator g, String k, String v) throws IOException {
    g.writeFieldName(k);
    if (v == null) {
      g.writeNull();
    } else {
      g.writeString(v);
    }
  }

  private static void num(JsonGenerator g, String k, Long v) throws IOException {
    g.writeFieldName(k);
    if (v == null) {
      g.writeNull();
    } else {
      g.writeNumber(v);
    }
  }

  private static void time(JsonGenerator g, String k, Instant v) throws IOException {
    str(g, k, v == null ? null : v.toString());
  }

  private static void list(JsonGenerator g, String k, List<String> v) throws IOException {
    g.writeArrayFieldStart(k);
    for (String s : v) {
      g.writeString(s);
    }
    g.writeEndArray();
  }
}
