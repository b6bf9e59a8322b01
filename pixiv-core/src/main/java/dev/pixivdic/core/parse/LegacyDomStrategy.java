package dev.pixivdic.core.parse;

import dev.pixivdic.core.parse.Fields.Col;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * The server-rendered markup the site used until about mid-2024: {@code #article-body},
 * {@code p.subscript}, {@code #article-relation}, {@code #breadcrumbs}. Only consulted for
 * columns the earlier strategies left empty.
 */
final class LegacyDomStrategy {

  static final String BODY = "#article-body";
  private static final Pattern TOTAL_VIEWS = Pattern.compile("総閲覧数\\s*[:：]\\s*([\\d,]+)");

  private LegacyDomStrategy() {}

  static void read(Document doc, Fields f) {
    Element body = doc.selectFirst(BODY);
    if (body != null) {
      // Assumed: the legacy title is the page's first h1 (the page is recognised by its body).
      Element h1 = doc.selectFirst("#article-name, h1");
      if (h1 != null) {
        f.text(Col.TITLE, h1.text());
      }
      f.text(Col.SUMMARY, summary(body));
    }
    f.text(Col.SUB_TITLE, Html.firstText(doc, "p.subscript"));
    Elements counts = doc.select("#article-relation .actions .data ul li");
    if (counts.size() >= 3) {
      f.count(Col.VIEW_COUNT, Text.count(counts.get(0).text()));
      f.count(Col.COMMENT_COUNT, Text.count(counts.get(1).text()));
      f.count(Col.WORKS_COUNT, Text.count(counts.get(2).text()));
    }
    if (!f.has(Col.VIEW_COUNT) && doc.body() != null) {
      Matcher total = TOTAL_VIEWS.matcher(doc.body().text());
      if (total.find()) {
        f.count(Col.VIEW_COUNT, Text.count(total.group(1)));
      }
    }
    f.count(Col.CHECKLIST_COUNT, Text.count(Html.firstText(doc, ".checklist-count")));
    // Legacy pages show relative times ("3日前"), which a pure parser cannot place in time;
    // only an absolute date is taken.
    f.time(Col.UPDATED_AT, ApiJsonReader.time(Html.firstText(doc, ".updates dl dd")));
    DomStrategy.links(doc, f);
    Elements items = doc.select("#article-relation .relation > .items");
    if (items.size() >= 1) {
      List<String> parents = Html.linkedTitles(items.get(0).select("a[href]"));
      f.text(Col.PARENT_ARTICLE, parents.isEmpty() ? null : parents.get(0));
    }
    if (items.size() >= 2) {
      f.list(Col.CHILD_ARTICLES, Html.linkedTitles(items.get(1).select("a[href]")));
    }
    if (items.size() >= 3) {
      f.list(Col.SIBLING_ARTICLES, Html.linkedTitles(items.get(2).select("a[href]")));
    }
    f.list(Col.BREADCRUMBS, DomStrategy.texts(doc.select("#breadcrumbs a")));
    f.list(Col.BREADCRUMBS, DomStrategy.texts(
        doc.select("[itemtype$=BreadcrumbList] [itemprop=itemListElement] [itemprop=name]")));
  }

  /** The paragraphs after the h2 containing 概要, up to the next heading. */
  private static String summary(Element body) {
    for (Element h2 : body.select("h2")) {
      String t = Text.norm(h2.text());
      if (t == null || !t.contains("概要")) {
        continue;
      }
      List<Element> ps = new ArrayList<>();
      for (Element e = h2.nextElementSibling(); e != null; e = e.nextElementSibling()) {
        if (e.is("h2, h3") || e.hasClass("article-index")) {
          if (e.is("h2, h3")) {
            break;
          }
          continue;
        }
        if (e.is("p")) {
          ps.add(e);
        }
      }
      return DomStrategy.paragraphs(new Elements(ps));
    }
    return null;
  }
}
