package dev.pixivdic.core.parse;

import dev.pixivdic.core.parse.Fields.Col;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * The server-rendered markup the site used until about mid-2024: {@code #article-body},
 * {@code p.subscript}, {@code #article-relation}, {@code #breadcrumbs}. Read only when the page
 * has exactly one {@code #article-body}.
 *
 * <p>The article's region is the smallest block holding both its title (an {@code h1} that
 * names the page, preferably in {@code #content_title}) and its body; the reading and the
 * {@code 総閲覧数} line are read there, outside the body's text and outside blocks that link to
 * other articles. Counters, the checklist count, the update time and the relations are read in
 * the one {@code #article-relation} block; the counters and relations are positional, so they
 * are taken only when that block has exactly the expected number of them.
 */
final class LegacyDomStrategy {

  static final String BODY = "#article-body";
  private static final String RELATION = "#article-relation";
  private static final String CHECKLIST = ".checklist-count";
  private static final Pattern TOTAL_VIEWS = Pattern.compile("総閲覧数\\s*[:：]\\s*([\\d,]+)");

  private LegacyDomStrategy() {}

  static void read(Document doc, PageIdentity page, Fields f, List<String> notes) {
    Elements bodies = Anchors.select(doc, BODY);
    if (bodies.size() != 1) {
      if (bodies.size() > 1) {
        notes.add("legacy markup skipped: " + bodies.size() + " " + BODY + " blocks");
      }
      return;
    }
    Element body = bodies.first();
    Element h1 = title(doc, body, page, notes);
    Element region = h1 == null ? body.parent() : commonAncestor(h1, body);
    if (h1 != null) {
      f.text(Col.TITLE, Html.text(h1));
    }
    f.text(Col.SUMMARY, summary(body));
    f.text(Col.SUB_TITLE, reading(region, h1, page));
    Element relation = relationBlock(region, notes);
    List<ShownCount> views = List.of();
    if (relation != null) {
      List<Element> counts = Html.own(relation, ".actions .data ul li", h1, page);
      if (counts.size() == 3) {
        views = item(counts.get(0), Col.VIEW_COUNT, notes);
        f.count(Col.COMMENT_COUNT, "legacy comment_count",
            item(counts.get(1), Col.COMMENT_COUNT, notes), notes);
        f.count(Col.WORKS_COUNT, "legacy works_count",
            item(counts.get(2), Col.WORKS_COUNT, notes), notes);
      } else if (!counts.isEmpty()) {
        notes.add("legacy counters skipped: " + counts.size() + " items, expected 3");
      }
      // A count inside another (a tooltip) is read on its own, and must agree with it.
      f.count(Col.CHECKLIST_COUNT, "legacy checklist_count",
          checklist(Html.own(relation, CHECKLIST, h1, page), notes), notes);
      // Legacy pages show relative times ("3日前"), which a pure parser cannot place in time;
      // only an absolute date is taken.
      f.time(Col.UPDATED_AT, updated(Html.own(relation, ".updates dl", h1, page)));
      relations(relation, page, f, notes);
    }
    if (views.stream().anyMatch(ShownCount::exact)) {
      f.count(Col.VIEW_COUNT, "legacy view_count", views, notes);
    } else {
      // The total line serves when the item shows no exact count, and must fit what it shows.
      List<ShownCount> found = new ArrayList<>(totalViews(region, h1, page, notes));
      found.addAll(views);
      f.count(Col.VIEW_COUNT, "legacy view_count", found, notes);
    }
    f.list(Col.BREADCRUMBS, breadcrumbs(doc, h1, page, notes));
  }

  /**
   * The title: the {@code h1} (or {@code #article-name}) of {@code #content_title}, else any
   * outside the body, that names the page. A site-wide {@code h1} or a card's heading never
   * does.
   */
  private static Element title(Document doc, Element body, PageIdentity page,
      List<String> notes) {
    List<String> others = new ArrayList<>();
    for (String anchor : new String[] {"#content_title h1, #content_title #article-name",
        "#article-name, h1"}) {
      for (Element h1 : Anchors.select(doc, anchor)) {
        String text = Text.norm(Html.text(h1));
        if (h1.closest(Html.css(BODY)) != null || text == null) {
          continue;
        }
        if (page.names(text)) {
          return h1;
        }
        others.add(text);
      }
    }
    if (!others.isEmpty()) {
      notes.add("legacy h1 '" + String.join("', '", others.stream().distinct().toList())
          + "' does not name " + page.describe());
    }
    return null;
  }

  /** The smallest element holding both (they share the document, so one exists). */
  private static Element commonAncestor(Element a, Element b) {
    Set<Element> above = new HashSet<>(b.parents());
    above.add(b);
    for (Element x = a; x != null; x = x.parent()) {
      if (above.contains(x)) {
        return x;
      }
    }
    return b.parent();
  }

  /** Own matches in the region that are not in the article's text. */
  private static List<Element> outsideBody(Element region, String cssQuery, Element h1,
      PageIdentity page) {
    List<Element> out = new ArrayList<>();
    for (Element e : Html.own(region, cssQuery, h1, page)) {
      if (e.closest(Html.css(BODY)) == null) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The reading: the {@code p.subscript} of the title's own block ({@code #content_title}, else
   * the h1's parent), else the one outside the body in the region; only text that can be a
   * reading (no kanji), so an update note in the same style is not taken.
   */
  private static String reading(Element region, Element h1, PageIdentity page) {
    if (h1 != null) {
      Element block = h1.closest(Html.css("#content_title"));
      block = block != null ? block : h1.parent();
      String own = Fields.agreed(readings(Html.own(block, "p.subscript", h1, page)));
      if (own != null) {
        return own;
      }
    }
    return Fields.agreed(readings(outsideBody(region, "p.subscript", h1, page)));
  }

  private static List<String> readings(List<Element> es) {
    return es.stream().map(Element::text).filter(Text::isReading).map(Text::norm).toList();
  }

  /**
   * The update time: the absolute dates of the {@code dd}s whose {@code dt} (the last one before
   * them) is an update label ({@code 更新日}, see {@link Text#isUpdateLabel}), when they agree.
   * A date under another label ({@code 作成日}, {@code ランキング更新}, {@code 次回更新}) is
   * not the article's update.
   */
  private static Instant updated(List<Element> lists) {
    List<Instant> times = new ArrayList<>();
    for (Element dl : lists) {
      String label = null;
      for (Element x : dl.select(Html.css("dt, dd"))) {
        if (x.normalName().equals("dt")) {
          label = Text.norm(Html.text(x));
        } else if (Text.isUpdateLabel(label)) {
          times.add(ApiJsonReader.time(Html.text(x)));
        }
      }
    }
    return Fields.agreed(times);
  }

  /** The region's one {@code #article-relation}; null (with a note if several) otherwise. */
  private static Element relationBlock(Element region, List<String> notes) {
    Elements blocks = Anchors.within(region, RELATION);
    if (blocks.size() > 1) {
      notes.add("legacy counters and relations skipped: " + blocks.size() + " " + RELATION
          + " blocks");
    }
    return blocks.size() == 1 ? blocks.first() : null;
  }

  /**
   * What the {@code 総閲覧数: N} lines outside the article's text show; nothing when the digits
   * of a number in one are in more than one element or split by an invisible character, as for
   * a counter's item.
   */
  private static List<ShownCount> totalViews(Element region, Element h1, PageIdentity page,
      List<String> notes) {
    // Matching own texts would silently miss the texts a skeleton left out.
    Skeleton.requireWhole(region);
    List<ShownCount> found = new ArrayList<>();
    for (Element e : region.getElementsMatchingOwnText(TOTAL_VIEWS)) {
      if (e.closest(Html.css(BODY)) != null || Html.foreign(e, region, h1, page)) {
        continue;
      }
      if (Html.digitsSplit(e)) {
        notes.add("legacy view_count skipped: '" + Text.norm(Html.text(e)) + "' has digits in"
            + " more than one element, or split by an invisible character");
        return List.of();
      }
      String text = Html.ownText(e);
      Matcher m = TOTAL_VIEWS.matcher(text);
      while (m.find()) {
        // Read from the number on, so that a rounded figure (123.5万) is only a figure.
        found.add(ShownCount.of(text.substring(m.start(1))));
      }
    }
    return found;
  }

  /**
   * What a counter's item shows. Its place in the list ties its one number to the counter; an
   * item with more numbers (a count and the day's change, a date) is read only where the
   * counter's label ({@code 閲覧数: 1,234}) comes right before a number, and all such numbers
   * are the counter's findings, which must agree ({@link Fields#count}); else nothing, with a
   * note, as nothing says which number is the count. Numbers in separate elements with text
   * between them ({@code 閲覧数<span>1,234</span>（前日比<span>+12</span>）}) are read so too;
   * an item where one number's digits are in more than one element ({@code 6<sup>2</sup>}) is
   * read as nothing, with a note, whatever labels it ({@link Html#digitsSplit}).
   */
  private static List<ShownCount> item(Element li, Col col, List<String> notes) {
    String text = Text.norm(Html.text(li));
    if (text == null) {
      return List.of();
    }
    if (Html.digitsSplit(li)) {
      notes.add("legacy " + col.column + " skipped: its item '" + text + "' has digits in more "
          + "than one element, or split by an invisible character");
      return List.of();
    }
    String k = Normalizer.normalize(text, Normalizer.Form.NFKC);
    if (NUMBERS.matcher(k).results().count() <= 1) {
      ShownCount s = ShownCount.of(k);
      return s == null ? List.of() : List.of(s);
    }
    List<ShownCount> tied = new ArrayList<>();
    Matcher m = ITEM_LABELS.get(col).matcher(k);
    while (m.find()) {
      tied.add(ShownCount.of(k.substring(m.end())));
    }
    if (!tied.isEmpty() && !tied.contains(null)) {
      return tied;
    }
    notes.add("legacy " + col.column + " skipped: its item '" + text + "' holds "
        + (tied.isEmpty() ? "several numbers, none labelled as the count"
            : "several numbers labelled as the count, not all of them counts"));
    return List.of();
  }

  /**
   * What each {@code .checklist-count} shows, without a count nested in it (read on its own);
   * nothing when the digits of a number in one are in more than one element, as for a counter's
   * item.
   */
  private static List<ShownCount> checklist(List<Element> counters, List<String> notes) {
    List<ShownCount> found = new ArrayList<>();
    for (Element e : counters) {
      Element own = Html.without(e, x -> x.is(Html.css(CHECKLIST)));
      if (Html.digitsSplit(own)) {
        notes.add("legacy checklist_count skipped: '" + Text.norm(Html.text(own))
            + "' has digits in more than one element, or split by an invisible character");
        return List.of();
      }
      found.add(ShownCount.of(Html.text(own)));
    }
    return found;
  }

  private static final Pattern NUMBERS = Pattern.compile("\\d[\\d,.]*");
  /** A counter's label right before a number: not the end of another word (前日比閲覧数). */
  private static final Map<Col, Pattern> ITEM_LABELS = Map.of(
      Col.VIEW_COUNT, itemLabel("総?閲覧数?"),
      Col.COMMENT_COUNT, itemLabel("コメント数?"),
      Col.WORKS_COUNT, itemLabel("作品数?"));

  private static Pattern itemLabel(String label) {
    return Pattern.compile("(?<![\\p{L}\\p{N}])" + label + "\\s*[:：]?\\s*(?=\\d)");
  }

  /**
   * Parents, children and siblings: the three {@code .items} lists of the block's one
   * {@code .relation}, in that order. Any other number of lists leaves all three absent, as
   * their order is all that says which is which.
   */
  private static void relations(Element relation, PageIdentity page, Fields f,
      List<String> notes) {
    Elements blocks = relation.select(Html.css(".relation"));
    if (blocks.isEmpty()) {
      return;
    }
    List<Element> items = new ArrayList<>();
    if (blocks.size() == 1) {
      for (Element e : blocks.first().select(Html.css(".items"))) {
        if (e.parents().stream().noneMatch(p -> p.hasClass("items"))) {
          items.add(e);
        }
      }
    }
    if (items.size() != 3) {
      notes.add("legacy relations skipped: " + (blocks.size() == 1 ? items.size()
          + " .items lists in .relation, expected 3" : blocks.size() + " .relation blocks"));
      return;
    }
    List<String> parents = Html.linkedTitles(items.get(0).select(Html.css("a[href]")), page);
    if (parents.stream().distinct().count() > 1) {
      notes.add("legacy parent_article skipped: " + parents.size() + " parent links");
    } else if (!parents.isEmpty()) {
      f.text(Col.PARENT_ARTICLE, parents.get(0));
    }
    f.list(Col.CHILD_ARTICLES, Html.linkedTitles(items.get(1).select(Html.css("a[href]")), page));
    f.list(Col.SIBLING_ARTICLES, Html.linkedTitles(items.get(2).select(Html.css("a[href]")), page));
  }

  /**
   * The links of the page's one {@code #breadcrumbs}, else the names of its one schema.org
   * BreadcrumbList; trails in blocks of other articles do not count.
   */
  private static List<String> breadcrumbs(Document doc, Element h1, PageIdentity page,
      List<String> notes) {
    List<Element> trails = Html.own(doc.body(), "#breadcrumbs", h1, page);
    List<Element> lists = Html.own(doc.body(), "[itemtype$=BreadcrumbList]", h1, page);
    if (trails.size() > 1 || lists.size() > 1) {
      notes.add("legacy breadcrumbs skipped: several trails");
      return null;
    }
    List<String> crumbs = trails.isEmpty() ? List.of()
        : DomStrategy.texts(trails.get(0).select(Html.css("a")));
    if (crumbs.isEmpty() && !lists.isEmpty()) {
      crumbs = DomStrategy.texts(
          lists.get(0).select(Html.css("[itemprop=itemListElement] [itemprop=name]")));
    }
    return crumbs;
  }

  /** The paragraphs after the h2 containing 概要, up to the next heading, in page order. */
  private static String summary(Element body) {
    List<Element> ps = new ArrayList<>();
    boolean in = false;
    // What body.select gives, in the same order, but lazily: the section after 概要 is
    // usually near the top of a long body, and nothing after it is read.
    Predicate<Element> wanted = Html.css("h2, h3, p").asPredicate(body);
    for (Element e : (Iterable<Element>) body.stream().filter(wanted)::iterator) {
      if (e.is(Html.css("h2, h3"))) {
        if (in) {
          break;
        }
        String t = Text.norm(Html.text(e));
        in = e.is(Html.css("h2")) && t != null && t.contains("概要")
            && e.closest(Html.css(".article-index")) == null;
      } else if (in && e.closest(Html.css(".article-index")) == null) {
        ps.add(e);
      }
    }
    return DomStrategy.paragraphs(ps);
  }
}
