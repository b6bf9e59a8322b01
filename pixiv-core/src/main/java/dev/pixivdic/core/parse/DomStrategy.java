package dev.pixivdic.core.parse;

import dev.pixivdic.core.parse.Fields.Col;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;

/**
 * The current (Next.js) markup, read only by semantic anchors: element ids, {@code title}
 * attributes, visible link texts, headings and the site's {@code gtm-class} tracking
 * attributes; hashed class names are never used.
 *
 * <p>Every value is tied to the article. The header's values (reading, image, counters, update
 * time, the summary shown in it) are read only inside the article's header: the block holding
 * an {@code h1} that names the page (see {@link PageIdentity}), and never inside a block of it
 * that links to another article (a card). A value found more than once must be the same every
 * time, else it is absent. Links are found by their text anywhere but must name the article's
 * tag. Breadcrumbs and relations ({@link DomRelations}) are read only once the header is found.
 */
final class DomStrategy {

  static final String TITLE = "h1#article-name";
  static final String BREADCRUMB_LINKS =
      "a[gtm-class=article-breadcrumbs_link], a[data-gtm-class=article-breadcrumbs_link]";
  private static final String HEADER = "#article-content-header";
  /** Tried in order; the last ones hold only because the h1 must name the page. */
  private static final String[] TITLE_ANCHORS = {
    TITLE, HEADER + " h1", "article div.w-full h1", "header h1, article h1"};
  private static final Map<Col, String> COUNTERS = new LinkedHashMap<>();
  /** The four links' labels, with the page of the tag each must lead to. */
  private static final Map<String, PageIdentity.TagPage> LINKS = new LinkedHashMap<>();
  /** A counter's title with its label as {@code @}: the label, maybe 総-, -数, -を見る. */
  private static final Pattern COUNTER_TITLE = Pattern.compile("総?@数?(を見る)?");

  static {
    COUNTERS.put(Col.VIEW_COUNT, "閲覧数");
    COUNTERS.put(Col.COMMENT_COUNT, "コメント数");
    COUNTERS.put(Col.WORKS_COUNT, "作品数");
    COUNTERS.put(Col.CHECKLIST_COUNT, "チェックリスト");
    LINKS.put("イラストを見る", PageIdentity.TagPage.ILLUSTRATIONS);
    LINKS.put("小説を読む", PageIdentity.TagPage.NOVELS);
    LINKS.put("イラストを投稿する", PageIdentity.TagPage.ILLUSTRATION_UPLOAD);
    LINKS.put("小説を投稿する", PageIdentity.TagPage.NOVEL_UPLOAD);
  }

  private DomStrategy() {}

  static void read(Document doc, PageIdentity page, Fields f, List<String> notes) {
    List<Header> found = headers(doc, page, notes);
    if (!found.isEmpty()) {
      f.text(Col.TITLE, Fields.agreed(found.stream().map(Header::title).toList()));
      f.text(Col.SUB_TITLE, reading(found, page));
      f.text(Col.MAIN_ILLUST_URL, image(found, page));
      f.text(Col.SUMMARY, abstractText(doc, found.get(0).h1(), page));
      f.text(Col.SUMMARY, inHeaders(found, page, "div.text-text2",
          e -> described(doc, page, Text.norm(Html.text(e)))));
      for (Map.Entry<Col, String> c : COUNTERS.entrySet()) {
        f.count(c.getKey(), c.getKey().column, foundInHeaders(found, page,
            "[title*=" + c.getValue() + "]", e -> counter(e, c.getValue())), notes);
      }
      f.time(Col.UPDATED_AT, inHeaders(found, page, "time[datetime]",
          t -> labelledUpdated(t, found) ? ApiJsonReader.time(t.attr("datetime")) : null));
      f.list(Col.BREADCRUMBS, breadcrumbs(doc, found.get(0).h1(), page, notes));
      DomRelations.read(doc, page, f, notes);
    }
    links(doc, page, f);
  }

  /** A header block of the article, its title anchor and the title it reads. */
  private record Header(Element block, Element h1, String title) {}

  /**
   * The article's header blocks: for each title anchor that names the page, its
   * {@code #article-content-header} (else its {@code header}, else its {@code article}, else its
   * parent). Usually one; the same header rendered twice gives two, whose values must agree.
   */
  private static List<Header> headers(Document doc, PageIdentity page, List<String> notes) {
    for (String anchor : TITLE_ANCHORS) {
      Elements h1s = Anchors.select(doc, anchor);
      if (h1s.isEmpty()) {
        continue;
      }
      Map<Element, Header> headers = new LinkedHashMap<>();
      List<String> others = new ArrayList<>();
      for (Element h1 : h1s) {
        String text = Text.norm(Html.text(h1));
        if (!page.names(text)) {
          if (text != null) {
            others.add(text);
          }
          continue;
        }
        Element header = h1.closest(Html.css(HEADER));
        if (header == null) {
          header = h1.closest(Html.css("header, article"));
        }
        if (header == null) {
          header = h1.parent() != null ? h1.parent() : h1;
        }
        headers.putIfAbsent(header, new Header(header, h1, text));
      }
      if (!others.isEmpty()) {
        notes.add(anchor + " '" + String.join("', '", others) + "' does not name "
            + page.describe() + (headers.isEmpty() ? "; the page's header is not used" : ""));
      }
      if (!headers.isEmpty()) {
        return List.copyOf(headers.values());
      }
    }
    return List.of();
  }

  /** The value every own match in the headers gives, or null when none or they differ. */
  private static <T> T inHeaders(List<Header> headers, PageIdentity page, String cssQuery,
      Function<Element, T> read) {
    return Fields.agreed(foundInHeaders(headers, page, cssQuery, read));
  }

  /** The values the own matches in the headers give, in document order. */
  private static <T> List<T> foundInHeaders(List<Header> headers, PageIdentity page,
      String cssQuery, Function<Element, T> read) {
    List<T> values = new ArrayList<>();
    for (Header h : headers) {
      for (Element e : own(h.block(), cssQuery, h.h1(), page, headers)) {
        T v = read.apply(e);
        if (v != null) {
          values.add(v);
        }
      }
    }
    return values;
  }

  /**
   * The matches in {@code block} of a header that are the article's own: not in a block of
   * another article ({@link Html#own}), nor in a block of the header that links away from the
   * article: to a user, a work, a shop, any other site ({@link #inEntityBlock}).
   */
  private static List<Element> own(Element block, String cssQuery, Element h1, PageIdentity page,
      List<Header> headers) {
    List<Element> out = Html.own(block, cssQuery, h1, page);
    out.removeIf(e -> inEntityBlock(e, headers, page));
    return out;
  }

  /**
   * A counter's number: the element's {@code title} must be the label itself ({@code 閲覧数},
   * optionally {@code 総閲覧数}, {@code ...数を見る}), not another thing that mentions it (a
   * ranking), and the number must be the element's one text, the label aside, and a bare
   * number: a rounded {@code 1.2万} or a rank {@code 3位} is not the count (a rounded or capped
   * figure is kept as a {@link ShownCount} that the count found beside it must fit), nor is a
   * number whose unit ({@code 12} then {@code 万}) or exponent ({@code 10<sup>9</sup>}) is in
   * another element.
   * Where the element has a {@code .typography-14}, the number must be that one's text. An
   * element inside it titled as the same counter (a tooltip) is not part of its text: it is
   * another reading of the counter, read on its own, and the two must agree.
   */
  private static ShownCount counter(Element counter, String label) {
    if (!isCounter(counter, label)) {
      return null;
    }
    String title = Text.norm(counter.attr("title"));
    Element e = Html.without(counter, x -> isCounter(x, label));
    List<TextNode> texts = Html.counterTexts(e, s -> s.equals(title) || s.equals(label));
    if (texts.size() != 1) {
      return null;
    }
    Element number = e.selectFirst(Html.css(".typography-14"));
    if (number != null && texts.get(0).parent() != number) {
      return null;
    }
    return ShownCount.ofBare(texts.get(0).getWholeText());
  }

  /** Whether the element's {@code title} is the counter's label ({@link #counter}). */
  private static boolean isCounter(Element e, String label) {
    String title = Text.norm(e.attr("title"));
    return title != null && COUNTER_TITLE.matcher(title.replace(label, "@")).matches();
  }

  /**
   * Whether {@code e} sits in a block of the header (below the blocks that hold the title) that
   * holds a link away from the article ({@link PageIdentity#linksAway}): a user's (an author's or
   * editor's block), a work's, a shop's, another site's. A value there is that thing's, not the
   * article's; only the article's own pages and its tag's pages may be linked beside its values.
   */
  private static boolean inEntityBlock(Element e, List<Header> headers, PageIdentity page) {
    for (Element x = e; x != null && !holdsTitle(x, headers); x = x.parent()) {
      for (Element a : x.select(Html.css(LINKING))) {
        for (String attr : LINK_ATTRIBUTES) {
          if (!a.hasAttr(attr)) {
            continue;
          }
          // One that cannot be made absolute is away if a browser would follow it.
          String url = Html.absUrl(a, attr);
          if (page.linksAway(url != null ? url : a.attr(attr))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Elements that lead somewhere: links, image maps, SVG links, forms, frames, objects. */
  private static final String LINKING = "a[href], area[href], [xlink:href], form[action], "
      + "button[formaction], input[formaction], iframe[src], frame[src], object[data], "
      + "embed[src], link[href]";
  private static final List<String> LINK_ATTRIBUTES =
      List.of("href", "xlink:href", "action", "formaction", "src", "data");

  /**
   * Whether a {@code <time>} of the header is labelled as the article's update: each of its
   * labels (its own text, {@code title} and {@code aria-label}, and the text that the nearest
   * block around it adds, below the blocks that hold the title, with the text of the inline
   * elements between), where it says anything but the
   * date, is an update label and nothing more ({@link Text#isUpdateLabel}): {@code 更新日},
   * "Last updated". A time without a label, labelled as a creation ({@code 作成日}), or as
   * another thing's update ({@code ランキング更新}, {@code 次回更新}, {@code 更新者}), or both
   * ways, may be another date than the article's update.
   */
  private static boolean labelledUpdated(Element time, List<Header> headers) {
    String own = Text.norm(Html.text(time));
    List<String> labels = new ArrayList<>(List.of(time.attr("title"), time.attr("aria-label")));
    // Its own text shows the date, in any form ("2001", "6月13日"): its numbers are no label.
    labels.add(own == null ? "" : SHOWN_DATE.matcher(own).replaceAll(" "));
    // The nearest block around it that adds text; an inline element's text goes on into the
    // block that holds it (次回<span>更新 <time></span> is the next update).
    String around = null;
    for (Element x = time.parent(); x != null && !holdsTitle(x, headers); x = x.parent()) {
      String text = Text.norm(Html.text(x));
      if (text != null && !text.equals(own)) {
        around = text;
        if (x.isBlock()) {
          break;
        }
      }
    }
    if (around != null) {
      labels.add(own == null ? around : around.replace(own, " "));
    }
    boolean labelled = false;
    for (String label : labels) {
      if (Text.isUpdateLabel(label)) {
        labelled = true;
      } else if (!Text.isDateOnly(label)) {
        return false;
      }
    }
    return labelled;
  }

  private static final Pattern SHOWN_DATE = Pattern.compile("[0-9０-９]+[年月日時分秒]?");

  /** Whether {@code x} is a header block, or holds a header's title. */
  private static boolean holdsTitle(Element x, List<Header> headers) {
    for (Header h : headers) {
      if (x == h.block()) {
        return true;
      }
      for (Element y = h.h1(); y != null; y = y.parent()) {
        if (y == x) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The reading: the grey paragraph right after the title (the {@code h1}'s next element),
   * when its text can be a reading ({@link Text#isReading}). A grey line elsewhere in the
   * header (a ranking, a share button, a user's name), before the title or after something
   * else is not the reading, nor is a kanji line such as an update note.
   */
  private static String reading(List<Header> headers, PageIdentity page) {
    List<String> values = new ArrayList<>();
    for (Header h : headers) {
      Element next = h.h1().nextElementSibling();
      if (next != null && next.is(Html.css("p.text-text3.typography-12"))
          && h.h1().parent() != null
          && own(h.h1().parent(), "p.text-text3.typography-12", h.h1(), page, headers)
              .contains(next)
          && Text.isReading(Html.text(next))) {
        values.add(Text.norm(Html.text(next)));
      }
    }
    return Fields.agreed(values);
  }

  /**
   * The main illustration: the header's own images (see {@link #own}) on pixiv's illustration
   * servers ({@link PageIdentity#isIllustration}) whose {@code alt} names the article, else
   * those without an {@code alt}. An image whose {@code alt} names something else (an avatar, an
   * icon) is never the article's, nor is a profile image, an icon, an emoji or a placeholder of
   * pixiv, nor one served from elsewhere (an ad); several different candidates give none.
   */
  private static String image(List<Header> headers, PageIdentity page) {
    List<String> named = new ArrayList<>();
    List<String> unnamed = new ArrayList<>();
    for (Header h : headers) {
      for (Element img : own(h.block(), "img[src]", h.h1(), page, headers)) {
        String src = Html.absUrl(img, "src");
        if (!PageIdentity.isIllustration(src)) {
          continue;
        }
        String alt = Text.norm(img.attr("alt"));
        if (alt == null) {
          unnamed.add(src);
        } else if (page.names(alt)) {
          named.add(src);
        }
      }
    }
    return Fields.agreed(named.isEmpty() ? unnamed : named);
  }

  /**
   * {@code text}, a summary read from the header's grey text, when the page's description
   * ({@code og:description}, else {@code description}) says the same: the header holds other
   * grey lines (a ranking, an editing notice) that only this tells from the summary. Either may
   * be cut short with an ellipsis ({@code …}) after at least {@value #MIN_KEPT} characters (a
   * text cut short is never taken: it is not the whole summary), and the description may begin
   * with the title and {@code とは}. Null when the page has no
   * description, it says something else, it is the site's own ({@code ピクシブ百科事典は...}),
   * or the text has no letter.
   */
  private static String described(Document doc, PageIdentity page, String text) {
    String description = Html.meta(doc, "og:description");
    if (description == null) {
      description = Html.meta(doc, "description");
    }
    // A text cut short is not the summary, though the description says more of it.
    if (text == null || description == null || text.codePoints().noneMatch(Character::isLetter)
        || ELLIPSIS.matcher(text).find()
        || SITE.matcher(description).lookingAt() && !page.names(SITE_NAME)) {
      return null;
    }
    Matcher lead = TITLE_LEAD.matcher(description);
    String rest = lead.find() && page.names(lead.group(1))
        ? description.substring(lead.end()) : description;
    return sameText(text, description) || sameText(text, rest) ? text : null;
  }

  private static final Pattern ELLIPSIS = Pattern.compile("…+$");
  /** The fewest characters a text cut short must keep to be told from another. */
  private static final int MIN_KEPT = 12;
  private static final String SITE_NAME = "ピクシブ百科事典";
  /** The site's own description, which a page without one of its own may carry. */
  private static final Pattern SITE = Pattern.compile(SITE_NAME + "(?:は|とは|、|\\(|（)");
  private static final Pattern TITLE_LEAD = Pattern.compile("^(.+?)とは[、,，:：]?\\s*");

  /** Whether the two texts are the same, or one is the other cut short with an ellipsis. */
  private static boolean sameText(String a, String b) {
    return a.equals(b) || isCutFrom(a, b) || isCutFrom(b, a);
  }

  private static boolean isCutFrom(String cut, String whole) {
    Matcher m = ELLIPSIS.matcher(cut);
    if (!m.find()) {
      return false;
    }
    String kept = cut.substring(0, m.start()).strip();
    return kept.codePointCount(0, kept.length()) >= MIN_KEPT && whole.startsWith(kept);
  }

  /**
   * The paragraphs of {@code #article-abstract}; null when several such blocks differ. One in a
   * block of another article (a card, a preview), or in a {@code template} or {@code noscript}
   * (markup not shown as the page), is another article's.
   */
  private static String abstractText(Document doc, Element h1, PageIdentity page) {
    List<String> texts = new ArrayList<>();
    for (Element a : Anchors.select(doc, "#article-abstract")) {
      if (a.closest(Html.css("template, noscript")) != null || inAnotherArticlesBlock(a, h1,
          page)) {
        continue;
      }
      String t = paragraphs(a.select(Html.css("p")));
      if (t != null) {
        texts.add(t);
      }
    }
    return Fields.agreed(texts);
  }

  /**
   * Whether {@code block} sits in a block of another article: an element above it, below the
   * first that holds the title {@code h1}, holds a link to another article or its tag outside
   * {@code block} (the abstract's own links name the articles it speaks of).
   */
  private static boolean inAnotherArticlesBlock(Element block, Element h1, PageIdentity page) {
    List<Element> aboveTitle = h1.parents();
    for (Element x = block.parent(); x != null && x != h1 && !aboveTitle.contains(x);
        x = x.parent()) {
      for (Element link : x.select(Html.css("a[href]"))) {
        String url = Html.absUrl(link, "href");
        if (url != null && !within(link, block) && page.linksElsewhere(url)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean within(Element e, Element block) {
    for (Element y = e; y != null; y = y.parent()) {
      if (y == block) {
        return true;
      }
    }
    return false;
  }

  /**
   * The four links found by their visible text, each to its own page of the article's tag
   * ({@link PageIdentity#tagPage}): {@code イラストを見る} to the tag's illustrations, not its
   * novels. They serve current and legacy pages.
   */
  private static void links(Document doc, PageIdentity page, Fields f) {
    Map<String, Predicate<String>> tests = new LinkedHashMap<>();
    LINKS.forEach((label, kind) -> tests.put(label, url -> page.tagPage(url) == kind));
    Map<String, String> urls = Html.linksByText(doc, tests);
    f.text(Col.ILLUST_VIEW_URL, urls.get("イラストを見る"));
    f.text(Col.NOVEL_VIEW_URL, urls.get("小説を読む"));
    f.text(Col.ILLUST_POST_URL, urls.get("イラストを投稿する"));
    f.text(Col.NOVEL_POST_URL, urls.get("小説を投稿する"));
  }

  /**
   * The tracked breadcrumb links of the page's one trail (a nav, else a list) that is not in a
   * block of another article.
   */
  private static List<String> breadcrumbs(Document doc, Element h1, PageIdentity page,
      List<String> notes) {
    Map<Element, List<Element>> trails = new LinkedHashMap<>();
    for (Element a : Anchors.select(doc, BREADCRUMB_LINKS)) {
      Element trail = a.closest(Html.css("nav"));
      trail = trail != null ? trail : a.closest(Html.css("ol, ul"));
      trails.computeIfAbsent(trail != null ? trail : a, k -> new ArrayList<>()).add(a);
    }
    trails.keySet().removeIf(t -> Html.foreign(t, doc.body(), h1, page));
    if (trails.size() > 1) {
      notes.add("breadcrumbs skipped: " + trails.size() + " trails of tracked links");
      return null;
    }
    return trails.isEmpty() ? null : texts(trails.values().iterator().next());
  }

  static String paragraphs(List<Element> ps) {
    List<String> parts = new ArrayList<>();
    for (Element p : ps) {
      String t = Text.norm(Html.text(p));
      if (t != null) {
        parts.add(t);
      }
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  static List<String> texts(List<Element> es) {
    List<String> out = new ArrayList<>();
    for (Element e : es) {
      String t = Text.norm(Html.text(e));
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }
}
