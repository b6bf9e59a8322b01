package dev.pixivdic.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.core.parse.Fields.Col;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the {@code get_article}- and {@code get_article_info}-shaped objects that
 * {@link JsonEntries} found for the article (in the {@code _api} responses themselves, or in
 * {@code __NEXT_DATA__}) into {@link Fields}.
 */
final class ApiJsonReader {

  /** The site shows and serves local times in Japan. */
  static final ZoneId JST = ZoneId.of("Asia/Tokyo");

  /** A local time; a date that is no day of the calendar ({@code 2023-02-29}) is no time. */
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd[ ]['T']HH:mm[:ss]")
          .withResolverStyle(ResolverStyle.STRICT);
  /** The encyclopedia's times lie in this century: a time outside is a mistake or a filler. */
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  private static final Pattern UNIX = Pattern.compile("[1-9][0-9]*");

  private ApiJsonReader() {}

  static void readArticle(JsonNode a, Fields f) {
    f.text(Col.TITLE, text(a.get("tagName")));
    f.text(Col.SUB_TITLE, text(a.get("yomigana")));
    f.text(Col.SUMMARY, text(a.get("abstract")));
    f.text(Col.ARTICLE_ID, id(a.get("id")));
    f.text(Col.MAIN_ILLUST_URL, text(a.path("mainIllust").get("imageUrl")));
    JsonNode related = a.path("relatedArticles");
    JsonNode parent = related.path("parent_article");
    // An article has one parent; a list of several says nothing about which.
    String parentName = parent.isArray() ? Fields.agreed(names(parent))
        : text(parent.get("tagName"));
    f.text(Col.PARENT_ARTICLE, notSelf(a, parentName == null ? List.of()
        : List.of(parentName)).stream().findFirst().orElse(null));
    f.list(Col.CHILD_ARTICLES, notSelf(a, names(related.get("child_articles"))));
    f.list(Col.SIBLING_ARTICLES, notSelf(a, names(related.get("sibling_articles"))));
    f.list(Col.RELATED_TAGS, names(a.get("tagNameListInArticleJa")));
    f.time(Col.UPDATED_AT, time(a.get("updatedAtTimestamp")));
  }

  static void readInfo(JsonNode i, Fields f) {
    count(f, Col.VIEW_COUNT, i.get("articleViewCount"));
    count(f, Col.COMMENT_COUNT, i.get("commentCount"));
    count(f, Col.WORKS_COUNT, i.get("pixivWorkCount"));
    count(f, Col.CHECKLIST_COUNT, i.get("checklistCount"));
    f.time(Col.UPDATED_AT, time(i.get("lastUpdatedAt")));
  }

  /**
   * Offers the count {@code n} gives; a string showing a rounded, capped or approximate figure
   * ({@code "1.2万"}) gives none, but the count taken must be one it can stand for.
   */
  private static void count(Fields f, Col col, JsonNode n) {
    Long exact = count(n);
    f.count(col, exact);
    if (exact == null && n != null && n.isTextual()) {
      f.figure(col, ShownCount.ofBare(whole(n).asText()));
    }
  }

  static void readBreadcrumbs(JsonNode crumbs, JsonNode article, Fields f) {
    if (crumbs != null) {
      f.list(Col.BREADCRUMBS, names(crumbs));
    }
    if (article != null) {
      f.list(Col.BREADCRUMBS, names(article.get("categories")));
    }
  }

  /** Strings of an array: items that are strings, or objects' {@code tagName} / {@code name}. */
  /** {@code names} without the article's own title: an article is never its own relation. */
  private static List<String> notSelf(JsonNode article, List<String> names) {
    String self = text(article.get("tagName"));
    if (self == null) {
      return names;
    }
    String key = Text.key(self);
    return names.stream().filter(n -> !Text.key(n).equals(key)).toList();
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array == null || !array.isArray()) {
      return out;
    }
    for (JsonNode item : array) {
      JsonNode name = item.isObject()
          ? (item.has("tagName") ? item.get("tagName") : item.get("name")) : item;
      String s = text(name);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private static String text(JsonNode n) {
    if (n == null || !(n.isTextual() || n.isNumber())) {
      return null;
    }
    return whole(n).asText();
  }

  /**
   * An article's id: a positive whole number, as a JSON number or a string of digits; a
   * fraction, a negative number or a string with other characters ({@code "4391abc"}) is none.
   */
  private static String id(JsonNode n) {
    String t = text(n);
    if (t == null || (n.isNumber() && !n.isIntegralNumber())) {
      return null;
    }
    return ID.matcher(t).matches() ? t : null;
  }

  private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");

  /** {@code n}, unless it is a string the fast path skipped ({@link PrunedJson}). */
  private static JsonNode whole(JsonNode n) {
    if (PrunedJson.isSkipped(n)) {
      throw new Skeleton.Unsure("a skipped string of the JSON is read");
    }
    return n;
  }

  private static Long count(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      long v = n.asLong();
      return v < 0 ? null : v;
    }
    // A count the JSON gives as text is the number alone ("1,234"): "1e9", "3位", "12/100" are
    // something else.
    return n.isTextual() ? Text.bareCount(whole(n).asText()) : null;
  }

  /**
   * A time: a number is unix seconds (10 digits) or milliseconds (13), as a digit string is, a
   * string an ISO-8601 instant or offset time, or a local {@code yyyy-MM-dd HH:mm[:ss]} taken as
   * JST. A number of other lengths ({@code 20240601}, a date written as digits, which was read
   * as seconds of 1970), one with a leading zero or in other digits than ASCII, a day that is
   * not on the calendar ({@code 2023-02-30}) and a time outside 2000-2099 are no time.
   */
  static Instant time(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() > 0) {
      return time(Long.toString(n.asLong()));
    }
    return n.isTextual() ? time(whole(n).asText()) : null;
  }

  static Instant time(String s) {
    Instant t = anyTime(s);
    return t != null && !t.isBefore(EARLIEST) && t.isBefore(LATEST) ? t : null;
  }

  private static Instant anyTime(String s) {
    String t = Text.norm(s);
    if (t == null) {
      return null;
    }
    if (t.chars().allMatch(Character::isDigit)) {
      // Unix seconds (10 digits) or milliseconds (13) of the encyclopedia's years; other digit
      // strings ("20240601", "0000000001", "１７１７２０００００") are no such time.
      if (t.length() != 10 && t.length() != 13 || !UNIX.matcher(t).matches()) {
        return null;
      }
      long v = Long.parseLong(t);
      return t.length() == 13 ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
    }
    // An offset time has its T (either case); a local one need not, and trying to parse one
    // without would cost an exception, which is dearer than the parse.
    if (t.indexOf('T') >= 0 || t.indexOf('t') >= 0) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e) {
        // not an offset time; try a local one below
      }
    }
    try {
      return LocalDateTime.parse(t.replace('/', '-'), LOCAL).atZone(JST).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
