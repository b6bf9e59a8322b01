package dev.pixivdic.core.parse;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values the strategies read for one article, kept per strategy so that they can be
 * checked against each other. Within one strategy the first non-empty offer for a column wins
 * (later ones are its fallbacks). Across strategies the rule is: when every strategy that read
 * the column read the same value, that value is taken and attributed to the first of them;
 * when they read different values, the column is absent and the {@link Disagreement} is kept.
 * A count must also be one that every rounded, capped or approximate figure any strategy found
 * for the column can stand for ({@link ShownCount}): a figure is no value, but a count it
 * contradicts is absent, as when two strategies read different counts. So is a count when a
 * strategy found different exact counts for the column (two counters, a tooltip), or one its own
 * figure contradicts: that strategy has no count, and the page contradicts itself, so no other
 * strategy's count is taken either. Not thread-safe: one instance per parse.
 */
final class Fields {

  /** The columns a strategy can fill, named as in the row's JSON. */
  enum Col {
    TITLE("title"), SUB_TITLE("sub_title"), SUMMARY("summary"),
    ILLUST_VIEW_URL("illust_view_url"), NOVEL_VIEW_URL("novel_view_url"),
    ILLUST_POST_URL("illust_post_url"), NOVEL_POST_URL("novel_post_url"),
    VIEW_COUNT("view_count"), COMMENT_COUNT("comment_count"), WORKS_COUNT("works_count"),
    CHECKLIST_COUNT("checklist_count"), ARTICLE_ID("article_id"),
    PARENT_ARTICLE("parent_article"), CHILD_ARTICLES("child_articles"),
    SIBLING_ARTICLES("sibling_articles"), RELATED_TAGS("related_tags"),
    BREADCRUMBS("breadcrumbs"), UPDATED_AT("updated_at"), MAIN_ILLUST_URL("main_illust_url");

    final String column;

    Col(String column) {
      this.column = column;
    }
  }

  private final Map<Col, Map<Strategy, Object>> offers = new EnumMap<>(Col.class);
  /** The figures each strategy found for a count column, beside or instead of a count. */
  private final Map<Col, Map<Strategy, List<ShownCount>>> figures = new EnumMap<>(Col.class);
  /**
   * The exact counts a strategy found for a count column that gave it no count, as they differ
   * or its own figures contradict them: any count taken would contradict the page.
   */
  private final Map<Col, Map<Strategy, List<Long>>> unsettled = new EnumMap<>(Col.class);
  private Strategy current;

  /** Sets the strategy that subsequent offers are attributed to. */
  void using(Strategy strategy) {
    this.current = strategy;
  }

  void text(Col col, String value) {
    offer(col, Text.norm(value));
  }

  void count(Col col, Long value) {
    offer(col, value);
  }

  /**
   * Offers the count the current strategy found of a counter, from all it found of it
   * ({@link ShownCount#agreed}, whose notes name the column as {@code name}), and keeps the
   * rounded, capped or approximate figures among them: the count the strategies agree on must
   * be one that each of them can stand for. When the exact counts among them give the strategy
   * no count (they differ, or a figure among them contradicts them), the column is absent
   * whatever the other strategies read.
   */
  void count(Col col, String name, Collection<ShownCount> found, List<String> notes) {
    Long agreed = ShownCount.agreed(name, found, notes);
    count(col, agreed);
    List<Long> exact = found.stream().filter(s -> s != null && s.exact()).map(ShownCount::min)
        .distinct().toList();
    if (agreed == null && !exact.isEmpty()) {
      unsettled.computeIfAbsent(col, k -> new EnumMap<>(Strategy.class))
          .computeIfAbsent(current, k -> new ArrayList<>()).addAll(exact);
    }
    for (ShownCount s : found) {
      figure(col, s);
    }
  }

  /**
   * Keeps a figure the current strategy found for a count column (an exact count or null is
   * ignored); the count the strategies agree on must be one it can stand for.
   */
  void figure(Col col, ShownCount shown) {
    if (shown != null && !shown.exact()) {
      figures.computeIfAbsent(col, k -> new EnumMap<>(Strategy.class))
          .computeIfAbsent(current, k -> new ArrayList<>()).add(shown);
    }
  }

  void time(Col col, Instant value) {
    offer(col, value);
  }

  void list(Col col, List<String> value) {
    if (value == null) {
      return;
    }
    List<String> clean = value.stream().map(Text::norm).filter(s -> s != null).distinct().toList();
    offer(col, clean.isEmpty() ? null : clean);
  }

  private void offer(Col col, Object value) {
    if (value != null) {
      offers.computeIfAbsent(col, k -> new LinkedHashMap<>()).putIfAbsent(current, value);
    }
  }

  /** What the current strategy has offered for the column so far, or null. */
  Object offered(Col col) {
    Map<Strategy, Object> o = offers.get(col);
    return o == null ? null : o.get(current);
  }

  /** Whether strategies offered different values for the column. */
  boolean disputed(Col col) {
    return offers.containsKey(col) && value(col) == null;
  }

  /** Takes back what {@code strategy} offered for the column, as if it had read nothing. */
  void withdraw(Col col, Strategy strategy) {
    Map<Strategy, Object> o = offers.get(col);
    if (o != null) {
      o.remove(strategy);
      if (o.isEmpty()) {
        offers.remove(col);
      }
    }
    forget(figures, col, strategy);
    forget(unsettled, col, strategy);
  }

  private static void forget(Map<Col, ? extends Map<Strategy, ?>> kept, Col col,
      Strategy strategy) {
    Map<Strategy, ?> of = kept.get(col);
    if (of != null) {
      of.remove(strategy);
      if (of.isEmpty()) {
        kept.remove(col);
      }
    }
  }

  /** Whether the column has a value all strategies that read it agree on. */
  boolean has(Col col) {
    return value(col) != null;
  }

  /**
   * The agreed value of the column, or null when nobody read it, strategies disagree, a
   * strategy's own exact counts left it unsettled, or a figure a strategy found cannot stand for
   * the count they agree on.
   */
  private Object value(Col col) {
    Map<Strategy, Object> o = offers.get(col);
    if (o == null || unsettled.containsKey(col)) {
      return null;
    }
    Set<Object> distinct = new LinkedHashSet<>(o.values());
    if (distinct.size() != 1) {
      return null;
    }
    Object v = distinct.iterator().next();
    return v instanceof Long n && !fitsFigures(col, n) ? null : v;
  }

  private boolean fitsFigures(Col col, long n) {
    Map<Strategy, List<ShownCount>> shown = figures.get(col);
    return shown == null || shown.values().stream().flatMap(List::stream)
        .allMatch(s -> s.fits(n));
  }

  /** The one value every element of {@code values} has, or null if they differ or are none. */
  static <T> T agreed(Collection<T> values) {
    Set<T> distinct = new LinkedHashSet<>(values);
    distinct.remove(null);
    return distinct.size() == 1 ? distinct.iterator().next() : null;
  }

  /**
   * {@link #agreed}, for a value one strategy found more than once (the header's counters, a
   * tooltip titled as the counter inside one): when they differ, a note for the detail names
   * them (a strategy's own findings are no {@link Disagreement} between strategies).
   */
  static <T> T agreed(String column, Collection<T> values, List<String> notes) {
    Set<T> distinct = new LinkedHashSet<>(values);
    distinct.remove(null);
    if (distinct.size() > 1) {
      notes.add(column + " skipped: " + distinct.size() + " different values "
          + distinct.stream().map(v -> "'" + v + "'").toList());
    }
    return agreed(values);
  }

  /** Column name to the strategy that served it, in column order. */
  Map<String, Strategy> provenance() {
    Map<String, Strategy> out = new LinkedHashMap<>();
    for (Col col : Col.values()) {
      if (has(col)) {
        out.put(col.column, offers.get(col).keySet().iterator().next());
      }
    }
    if (out.containsKey(Col.CHECKLIST_COUNT.column)) {
      out.put("bookmark", out.get(Col.CHECKLIST_COUNT.column));
    }
    return out;
  }

  /**
   * The columns whose strategies read different values, in column order: what each strategy
   * read, for a count its count, else the exact counts that left it unsettled and the figures it
   * found ({@code 98765432, 5}, {@code 5000, 1.2万}).
   */
  List<Disagreement> disagreements() {
    List<Disagreement> out = new ArrayList<>();
    for (Col col : Col.values()) {
      Map<Strategy, Object> o = offers.get(col);
      if (o != null && value(col) == null) {
        Map<Strategy, List<String>> found = new EnumMap<>(Strategy.class);
        unsettled.getOrDefault(col, Map.of()).forEach((s, counts) -> found
            .computeIfAbsent(s, k -> new ArrayList<>()).addAll(counts.stream()
                .map(String::valueOf).toList()));
        figures.getOrDefault(col, Map.of()).forEach((s, shown) -> found
            .computeIfAbsent(s, k -> new ArrayList<>()).addAll(shown.stream()
                .map(ShownCount::text).toList()));
        Map<Strategy, String> read = new EnumMap<>(Strategy.class);
        found.forEach((s, texts) -> read.put(s, String.join(", ", texts.stream().distinct()
            .toList())));
        o.forEach((s, v) -> read.put(s, v instanceof List<?> l ? String.join(", ",
            l.stream().map(String::valueOf).toList()) : String.valueOf(v)));
        if (read.size() > 1) {
          out.add(new Disagreement(col.column, read));
        }
      }
    }
    return out;
  }

  /** The row these values make, with its content hash; run metadata is left null. */
  ArticleRow toRow(ArticleUrl url) {
    Long checklist = (Long) value(Col.CHECKLIST_COUNT);
    ArticleRow row = ArticleRow.builder(url)
        .title(str(Col.TITLE))
        .subTitle(str(Col.SUB_TITLE))
        .summary(str(Col.SUMMARY))
        .illustViewUrl(str(Col.ILLUST_VIEW_URL))
        .novelViewUrl(str(Col.NOVEL_VIEW_URL))
        .illustPostUrl(str(Col.ILLUST_POST_URL))
        .novelPostUrl(str(Col.NOVEL_POST_URL))
        .viewCount((Long) value(Col.VIEW_COUNT))
        .commentCount((Long) value(Col.COMMENT_COUNT))
        .worksCount((Long) value(Col.WORKS_COUNT))
        .checklistCount(checklist)
        .bookmark(checklist)
        .articleId(str(Col.ARTICLE_ID))
        .parentArticle(str(Col.PARENT_ARTICLE))
        .childArticles(strs(Col.CHILD_ARTICLES))
        .siblingArticles(strs(Col.SIBLING_ARTICLES))
        .relatedTags(strs(Col.RELATED_TAGS))
        .breadcrumbs(strs(Col.BREADCRUMBS))
        .updatedAt((Instant) value(Col.UPDATED_AT))
        .mainIllustUrl(str(Col.MAIN_ILLUST_URL))
        .build();
    return row.toBuilder().contentHash(ContentHash.of(row)).build();
  }

  String str(Col col) {
    return (String) value(col);
  }

  private List<String> strs(Col col) {
    Object v = value(col);
    if (v == null) {
      return List.of();
    }
    return ((List<?>) v).stream().map(String.class::cast).toList();
  }
}
