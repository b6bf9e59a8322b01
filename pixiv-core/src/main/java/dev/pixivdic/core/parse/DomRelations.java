package dev.pixivdic.core.parse;

import dev.pixivdic.core.parse.Fields.Col;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.jsoup.select.Evaluator;

/**
 * Parent, child and sibling articles in the current markup, read only from the structures that
 * state them: the links tracked as {@code article-bottom_{parent,child,sibling}-article}, all in
 * one section that is not a card of another article; else the article links that follow the
 * page's one heading 親記事 / 子記事 / 兄弟記事 (Parent / Child / Sibling) outside the article's
 * text. When the structure is ambiguous the relation is absent and a note says why.
 */
final class DomRelations {

  /** Where a relation heading is article text, not the page's relation block. */
  private static final String PROSE = "[data-header-id], #article-body";
  private static final List<String> HEADINGS =
      List.of("親記事", "子記事", "兄弟記事", "Parent", "Child", "Sibling");
  private static final String HEADINGS_KEY = "dev.pixivdic.relationHeadings";

  private DomRelations() {}

  static void read(Document doc, PageIdentity page, Fields f, List<String> notes) {
    // One walk of the document for the tracked links of all three kinds.
    Elements tracked = Anchors.select(doc, "a[data-gtm-class]");
    List<String> parents = relation(doc, tracked, page, "parent", notes, "親記事", "Parent");
    if (parents != null) {
      if (new LinkedHashSet<>(parents).size() > 1) {
        notes.add("parent_article skipped: " + parents.size() + " parent links");
      } else {
        f.text(Col.PARENT_ARTICLE, parents.isEmpty() ? null : parents.get(0));
      }
    }
    f.list(Col.CHILD_ARTICLES, relation(doc, tracked, page, "child", notes, "子記事", "Child"));
    f.list(Col.SIBLING_ARTICLES,
        relation(doc, tracked, page, "sibling", notes, "兄弟記事", "Sibling"));
  }

  /**
   * The titles of one kind of relation: the links tracked as
   * {@code article-bottom_<kind>-article} when there are any (all in one section), else the
   * article links that follow the page's one heading reading a label, up to the next heading
   * of its section. Null when the structure is ambiguous (a note says why) or absent.
   */
  private static List<String> relation(Document doc, Elements trackedAll, PageIdentity page,
      String kind, List<String> notes, String... labels) {
    Evaluator ofKind = Html.css("a[data-gtm-class~=article-bottom_" + kind + "-article]");
    List<Element> tracked = new ArrayList<>();
    for (Element a : trackedAll) {
      if (a.is(ofKind) && !underAnotherArticlesHeading(a, page)) {
        tracked.add(a);
      }
    }
    if (!tracked.isEmpty()) {
      Map<Element, List<Element>> sections = new LinkedHashMap<>();
      for (Element a : tracked) {
        Element s = a.closest(Html.css("section"));
        sections.computeIfAbsent(s != null ? s : doc.body(), k -> new ArrayList<>()).add(a);
      }
      sections.keySet().removeIf(s -> s != doc.body() && namesAnotherArticle(s, page, null));
      if (sections.size() > 1) {
        notes.add(kind + " relations skipped: tracked links in " + sections.size() + " sections");
        return null;
      }
      return sections.isEmpty() ? null
          : Html.linkedTitles(sections.values().iterator().next(), page);
    }
    List<Element> headings = new ArrayList<>();
    for (Map.Entry<Element, String> h : headings(doc).entrySet()) {
      if (List.of(labels).contains(h.getValue()) && h.getKey().closest(Html.css(PROSE)) == null) {
        headings.add(h.getKey());
      }
    }
    if (headings.size() != 1) {
      if (headings.size() > 1) {
        notes.add(kind + " relations skipped: " + headings.size() + " headings " + labels[0]);
      }
      return null;
    }
    Element heading = headings.get(0);
    Element section = heading.closest(Html.css("section"));
    if (section == null) {
      section = heading.parent();
    }
    if (namesAnotherArticle(section, page, labels)) {
      return null;
    }
    List<Element> links = new ArrayList<>();
    boolean after = false;
    for (Element e : section.select(Html.css("h2, h3, h4, a[href]"))) {
      if (e == heading) {
        after = true;
      } else if (e.is(Html.css("h2, h3, h4"))) {
        if (after) {
          break;
        }
      } else if (after) {
        links.add(e);
      }
    }
    return Html.linkedTitles(links, page);
  }

  /**
   * Whether a relation block is a card of another article: it links to an article that is not
   * one of its relations. Relations are the tracked relation links, or (when {@code labels} is
   * given) the links that follow a relation heading; a card names its own article first.
   */
  private static boolean namesAnotherArticle(Element block, PageIdentity page,
      String[] labels) {
    boolean underHeading = false;
    for (Element e : block.select(Html.css("h2, h3, h4, a[href]"))) {
      if (!e.is(Html.css("a"))) {
        underHeading |= isRelationHeading(e);
        continue;
      }
      boolean relation = labels == null ? e.attr("data-gtm-class").contains("article-bottom_")
          : underHeading;
      // A relation link never counts against the block: only the others' URLs are resolved.
      if (!relation && PageIdentity.linkedArticle(LinkUrl.of(e, "href"))
          .filter(t -> !page.names(t)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** A heading naming whose relations follow: {@code VOCALOIDの子記事}, {@code Child of X}. */
  private static final Pattern OWNED_HEADING = Pattern.compile(
      "(?<ja>.+?)\\s*の\\s*(?:親記事|子記事|兄弟記事)"
          + "|(?i:(?:parent|child|sibling)(?: articles?)? of)\\s+(?<en>.+)");

  /**
   * Whether the nearest heading before {@code link} (in document order) names another article's
   * relations ({@code VOCALOIDの子記事}): a preview of that article's relations, tracked as the
   * page's own are.
   */
  private static boolean underAnotherArticlesHeading(Element link, PageIdentity page) {
    Element heading = precedingHeading(link);
    if (heading == null) {
      return false;
    }
    String text = Text.norm(Html.text(heading));
    Matcher m = text == null ? null : OWNED_HEADING.matcher(text);
    if (m == null || !m.matches()) {
      return false;
    }
    String owner = m.group("ja") != null ? m.group("ja") : m.group("en");
    return !page.names(owner.strip());
  }

  /**
   * The last h2-h4 before {@code e} in document order, or null. Only a sibling known to hold a
   * heading is searched, so a link after a long body costs no walk of the body.
   */
  private static Element precedingHeading(Element e) {
    Set<Element> holders = headingHolders(e);
    for (Element x = e; x != null; x = x.parent()) {
      for (Element sib = x.previousElementSibling(); sib != null;
          sib = sib.previousElementSibling()) {
        if (holders.contains(sib)) {
          return sib.is(Html.css("h2, h3, h4")) ? sib : sib.select(Html.css("h2, h3, h4")).last();
        }
      }
    }
    return null;
  }

  /** The h2-h4 of the document and every element holding one, once per document. */
  private static Set<Element> headingHolders(Element e) {
    Document doc = e.ownerDocument();
    Object known = doc == null ? null : doc.attributes().userData(HOLDERS_KEY);
    if (known instanceof Set<?> set) {
      @SuppressWarnings("unchecked")
      Set<Element> holders = (Set<Element>) set;
      return holders;
    }
    Set<Element> holders = Collections.newSetFromMap(new IdentityHashMap<>());
    Element root = doc != null ? doc : e.root();
    for (Element h : Anchors.select(root, "h2, h3, h4")) {
      // An element already in the set has its ancestors in it too.
      Element y = h;
      while (y != null && holders.add(y)) {
        y = y.parent();
      }
    }
    if (doc != null) {
      doc.attributes().userData(HOLDERS_KEY, holders);
    }
    return holders;
  }

  private static final String HOLDERS_KEY = "dev.pixivdic.headingHolders";

  /**
   * The document's headings that read a relation label, with that label: each heading's text
   * is built once for the three kinds (a long article has many headings).
   */
  private static Map<Element, String> headings(Document doc) {
    Object known = doc.attributes().userData(HEADINGS_KEY);
    if (known instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<Element, String> headings = (Map<Element, String>) m;
      return headings;
    }
    Map<Element, String> out = new LinkedHashMap<>();
    for (Element h : Anchors.select(doc, "h2, h3, h4")) {
      String label = relationLabel(h);
      if (label != null) {
        out.put(h, label);
      }
    }
    doc.attributes().userData(HEADINGS_KEY, out);
    return out;
  }

  private static boolean isRelationHeading(Element h) {
    return relationLabel(h) != null;
  }

  /**
   * The relation label a heading reads ({@code 子記事}), or null. An empty or blank heading has
   * no text (null, which {@code List.of(..).contains} rejects) and names no relation.
   */
  private static String relationLabel(Element h) {
    String text = Text.norm(Html.text(h));
    return text != null && HEADINGS.contains(text) ? text : null;
  }
}
