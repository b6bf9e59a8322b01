package dev.pixivdic.core.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.Elements;
import org.jsoup.select.NodeTraversor;

/**
 * The elements the strategies look up in the whole document, found in one walk of it instead
 * of one walk per query: {@link #select} gives what {@code root.select(query)} gives, in the
 * same order.
 *
 * <p>Only queries of simple selectors (tags, ids, attributes, and lists of them) are indexed:
 * jsoup's evaluators for those keep no state, so testing them on each element of one walk is
 * what {@link Element#select} does. Queries with combinators, and queries from any element but
 * the document, go to jsoup.
 */
final class Anchors {

  /** The indexed queries; all of simple selectors. */
  static final List<String> QUERIES = List.of(
      "script#__NEXT_DATA__",
      DomStrategy.TITLE,
      "#article-abstract",
      DomStrategy.BREADCRUMB_LINKS,
      "a[data-gtm-class]",
      "a[href]",
      LegacyDomStrategy.BODY,
      "h2, h3, h4",
      "#article-name, h1");
  private static final String KEY = "dev.pixivdic.anchors";

  private final Elements[] found;

  private Anchors(Document doc) {
    int n = QUERIES.size();
    found = new Elements[n];
    List<Predicate<Element>> tests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      found[i] = new Elements();
      tests.add(Html.css(QUERIES.get(i)).asPredicate(doc));
    }
    NodeTraversor.traverse((Node node, int depth) -> {
      if (node instanceof Element e) {
        for (int i = 0; i < n; i++) {
          if (tests.get(i).test(e)) {
            found[i].add(e);
          }
        }
      }
    }, doc);
  }

  /** The matches of {@code query} in {@code root}, in document order; a new list. */
  static Elements select(Element root, String query) {
    int i = QUERIES.indexOf(query);
    if (i < 0 || !(root instanceof Document doc)) {
      return root.select(Html.css(query));
    }
    Anchors anchors = (Anchors) doc.attributes().userData(KEY);
    if (anchors == null) {
      anchors = new Anchors(doc);
      doc.attributes().userData(KEY, anchors);
    }
    return new Elements(anchors.found[i]);
  }
}
