package dev.pixivdic.core.parse;

import dev.pixivdic.core.parse.Fields.Col;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * The current (Next.js) markup, read only by semantic anchors: element ids, {@code title}
 * attributes, visible link texts, headings and the site's {@code gtm-class} tracking
 * attributes. Utility classes documented as stable ({@code text-text3}, {@code typography-*})
 * are used only inside an id-anchored block; hashed class names are never used.
 */
final class DomStrategy {

  static final String TITLE = "h1#article-name";
  private static final String HEADER = "#article-content-header";

  private DomStrategy() {}

  static void read(Document doc, Fields f) {
    Element title = doc.selectFirst(TITLE);
    if (title == null) {
      title = doc.selectFirst(HEADER + " h1");
    }
    if (title == null) {
      title = doc.selectFirst("article div.w-full h1");
    }
    if (title != null) {
      f.text(Col.TITLE, title.text());
    }
    Element header = doc.selectFirst(HEADER);
    if (header != null) {
      f.text(Col.SUB_TITLE, Html.firstText(header, "p.text-text3.typography-12"));
      Element img = header.selectFirst("img[src]");
      if (img != null) {
        f.text(Col.MAIN_ILLUST_URL, Html.absUrl(img, "src"));
      }
    }
    f.text(Col.SUMMARY, paragraphs(doc.select("#article-abstract p")));
    if (header != null) {
      f.text(Col.SUMMARY, Html.firstText(header, "div.text-text2"));
    }
    f.count(Col.VIEW_COUNT, countByTitle(doc, "閲覧数"));
    f.count(Col.COMMENT_COUNT, countByTitle(doc, "コメント数"));
    f.count(Col.WORKS_COUNT, countByTitle(doc, "作品数"));
    f.count(Col.CHECKLIST_COUNT, countByTitle(doc, "チェックリスト"));
    f.time(Col.UPDATED_AT, updated(header));
    links(doc, f);
    f.list(Col.BREADCRUMBS, texts(doc.select(
        "a[gtm-class=article-breadcrumbs_link], a[data-gtm-class=article-breadcrumbs_link]")));
    related(doc, f);
  }

  /** The four links found by their visible text; the same on current and legacy pages. */
  static void links(Document doc, Fields f) {
    f.text(Col.ILLUST_VIEW_URL, Html.linkByText(doc, "イラストを見る"));
    f.text(Col.NOVEL_VIEW_URL, Html.linkByText(doc, "小説を読む"));
    f.text(Col.ILLUST_POST_URL, Html.linkByText(doc, "イラストを投稿する"));
    f.text(Col.NOVEL_POST_URL, Html.linkByText(doc, "小説を投稿する"));
  }

  /** The number in a {@code div.typography-14} of the first element titled with the label. */
  private static Long countByTitle(Document doc, String label) {
    for (Element e : doc.select("[title*='" + label + "']")) {
      Element number = e.selectFirst(".typography-14");
      Long n = Text.count(number != null ? number.text() : e.text());
      if (n != null) {
        return n;
      }
    }
    return null;
  }

  /** Assumed, not documented: a {@code <time datetime>} in the header. */
  private static java.time.Instant updated(Element header) {
    if (header == null) {
      return null;
    }
    Element t = header.selectFirst("time[datetime]");
    return t == null ? null : ApiJsonReader.time(t.attr("datetime"));
  }

  private static void related(Document doc, Fields f) {
    Elements parents = doc.select("a[data-gtm-class~=article-bottom_parent-article]");
    Elements children = doc.select("a[data-gtm-class~=article-bottom_child-article]");
    Elements siblings = doc.select("a[data-gtm-class~=article-bottom_sibling-article]");
    if (parents.isEmpty()) {
      parents = underHeading(doc, "親記事", "Parent");
    }
    if (children.isEmpty()) {
      children = underHeading(doc, "子記事", "Child");
    }
    if (siblings.isEmpty()) {
      siblings = underHeading(doc, "兄弟記事", "Sibling");
    }
    if (!parents.isEmpty()) {
      f.text(Col.PARENT_ARTICLE, Html.linkedTitle(parents.first()));
    }
    f.list(Col.CHILD_ARTICLES, Html.linkedTitles(children));
    f.list(Col.SIBLING_ARTICLES, Html.linkedTitles(siblings));
  }

  /** Links in the block that follows a heading reading exactly one of the labels. */
  private static Elements underHeading(Document doc, String... labels) {
    for (Element h : doc.select("h2, h3, h4")) {
      String text = Text.norm(h.text());
      if (text != null && List.of(labels).contains(text)) {
        Element next = h.nextElementSibling();
        Elements links = next != null ? next.select("a[href]") : new Elements();
        if (links.isEmpty() && h.parent() != null) {
          links = h.parent().select("a[href]");
        }
        return links;
      }
    }
    return new Elements();
  }

  static String paragraphs(Elements ps) {
    List<String> parts = new ArrayList<>();
    for (Element p : ps) {
      String t = Text.norm(p.text());
      if (t != null) {
        parts.add(t);
      }
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  static List<String> texts(Elements es) {
    List<String> out = new ArrayList<>();
    for (Element e : es) {
      String t = Text.norm(e.text());
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }
}
