package dev.pixivdic.core.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.jsoup.select.Evaluator;

/**
 * The elements the strategies look up in the whole document, found in one walk of it instead
 * of one walk per query: {@link #select} gives what {@code root.select(query)} gives, in the
 * same order, and {@link #within} what {@code region.select(query)} gives.
 *
 * <p>Only queries of simple selectors (tags, ids, attributes, and lists of them) are indexed:
 * jsoup's evaluators for those keep no state, so testing them on each element of one walk is
 * what {@link Element#select} does. Each is tested only on the elements that pass a cheaper
 * test every match passes (its tag, or having the attribute it reads), so most elements are
 * tested against none. A few queries with combinators whose matches are all matches of an
 * indexed query (an {@code h1} under some block) are that query's matches that jsoup says
 * match ({@link Element#is}), in the same order. Other queries go to jsoup.
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
      "#article-name, h1",
      "#article-relation",
      "#breadcrumbs",
      "[itemtype$=BreadcrumbList]");
  /**
   * For each indexed query, what every match has: one of these tags, or (when not null) this
   * attribute, whatever its case. The cheap test in front of jsoup's.
   */
  private static final List<Gate> GATES = List.of(
      new Gate(Set.of("script"), null),
      new Gate(Set.of("h1"), null),
      new Gate(Set.of(), "id"),
      new Gate(Set.of("a"), null),
      new Gate(Set.of("a"), null),
      new Gate(Set.of("a"), null),
      new Gate(Set.of(), "id"),
      new Gate(Set.of("h2", "h3", "h4"), null),
      new Gate(Set.of("h1"), "id"),
      new Gate(Set.of(), "id"),
      new Gate(Set.of(), "id"),
      new Gate(Set.of(), "itemtype"));
  /**
   * Queries with combinators whose every alternative ends in {@code h1} or
   * {@code #article-name}, so that all their matches are matches of {@code #article-name, h1}.
   */
  static final List<String> TITLE_QUERIES = List.of(
      "#article-content-header h1",
      "article div.w-full h1",
      "header h1, article h1",
      "#content_title h1, #content_title #article-name");
  private static final Map<String, String> NARROWED = Map.of(
      TITLE_QUERIES.get(0), "#article-name, h1",
      TITLE_QUERIES.get(1), "#article-name, h1",
      TITLE_QUERIES.get(2), "#article-name, h1",
      TITLE_QUERIES.get(3), "#article-name, h1");
  /** Distinct tags of {@link #GATES}, and for each the queries whose gate admits it (a mask). */
  private static final String[] GATE_TAGS;
  private static final int[] TAG_MASKS;
  /** Distinct attributes of {@link #GATES}, and for each the queries whose gate admits it. */
  private static final String[] GATE_ATTRIBUTES;
  private static final int[] ATTRIBUTE_MASKS;
  private static final String KEY = "dev.pixivdic.anchors";

  static {
    if (GATES.size() != QUERIES.size() || QUERIES.size() > Integer.SIZE) {
      // One bit per query in an int: a query without its gate would never be tested.
      throw new IllegalStateException("one gate per query, at most 32 queries");
    }
    Map<String, Integer> tags = new LinkedHashMap<>();
    Map<String, Integer> attributes = new LinkedHashMap<>();
    for (int i = 0; i < GATES.size(); i++) {
      int bit = 1 << i;
      GATES.get(i).tags().forEach(t -> tags.merge(t, bit, (a, b) -> a | b));
      if (GATES.get(i).attribute() != null) {
        attributes.merge(GATES.get(i).attribute(), bit, (a, b) -> a | b);
      }
    }
    GATE_TAGS = tags.keySet().toArray(String[]::new);
    TAG_MASKS = tags.values().stream().mapToInt(Integer::intValue).toArray();
    GATE_ATTRIBUTES = attributes.keySet().toArray(String[]::new);
    ATTRIBUTE_MASKS = attributes.values().stream().mapToInt(Integer::intValue).toArray();
  }

  private final Elements[] found;
  private final List<Predicate<Element>> tests;

  private record Gate(Set<String> tags, String attribute) {}

  private Anchors(Document doc) {
    int n = QUERIES.size();
    found = new Elements[n];
    tests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      found[i] = new Elements();
      tests.add(Html.css(QUERIES.get(i)).asPredicate(doc));
    }
    walk(doc);
  }

  /**
   * Visits {@code root} and every element under it in document order, as
   * {@link org.jsoup.select.NodeTraversor} does, but stepping over other nodes (texts are half
   * of a page's nodes) and without recursion (a deep page cannot overflow the stack).
   */
  private void walk(Element root) {
    visit(root);
    Element[] parents = new Element[32];
    int[] next = new int[32];
    int top = 0;
    parents[0] = root;
    while (top >= 0) {
      Element parent = parents[top];
      int i = next[top];
      if (i >= parent.childNodeSize()) {
        top--;
        continue;
      }
      next[top] = i + 1;
      if (parent.childNode(i) instanceof Element e) {
        visit(e);
        if (e.childNodeSize() > 0) {
          if (++top == parents.length) {
            parents = Arrays.copyOf(parents, top * 2);
            next = Arrays.copyOf(next, top * 2);
          }
          parents[top] = e;
          next[top] = 0;
        }
      }
    }
  }

  /** Tests {@code e} against the queries whose gate admits it. */
  private void visit(Element e) {
    String tag = e.normalName();
    int candidates = 0;
    for (int t = 0; t < GATE_TAGS.length; t++) {
      if (GATE_TAGS[t].equals(tag)) {
        candidates |= TAG_MASKS[t];
      }
    }
    if (e.attributesSize() > 0) {
      for (int a = 0; a < GATE_ATTRIBUTES.length; a++) {
        if (e.attributes().hasKeyIgnoreCase(GATE_ATTRIBUTES[a])) {
          candidates |= ATTRIBUTE_MASKS[a];
        }
      }
    }
    while (candidates != 0) {
      int i = Integer.numberOfTrailingZeros(candidates);
      candidates &= candidates - 1;
      if (tests.get(i).test(e)) {
        found[i].add(e);
      }
    }
  }

  /** The matches of {@code query} in {@code root}, in document order; a new list. */
  static Elements select(Element root, String query) {
    if (!(root instanceof Document doc)) {
      return root.select(Html.css(query));
    }
    String base = NARROWED.get(query);
    if (base != null) {
      Evaluator eval = Html.css(query);
      Elements out = new Elements();
      for (Element e : of(doc).found[QUERIES.indexOf(base)]) {
        if (e.is(eval)) {
          out.add(e);
        }
      }
      return out;
    }
    int i = QUERIES.indexOf(query);
    return i < 0 ? doc.select(Html.css(query)) : new Elements(of(doc).found[i]);
  }

  /**
   * The matches of {@code query} in {@code region} (itself included), in document order, as
   * {@code region.select(query)}: for an indexed query, the document's matches that are
   * {@code region} or inside it.
   */
  static Elements within(Element region, String query) {
    Document doc = region.ownerDocument();
    if (doc == null || region == doc || !QUERIES.contains(query) || region.root() != doc) {
      // A combinator's ancestors must be inside the region too: jsoup decides those.
      return region == doc ? select(doc, query) : region.select(Html.css(query));
    }
    Elements out = new Elements();
    for (Element e : select(doc, query)) {
      for (Element x = e; x != null; x = x.parent()) {
        if (x == region) {
          out.add(e);
          break;
        }
      }
    }
    return out;
  }

  private static Anchors of(Document doc) {
    Anchors anchors = (Anchors) doc.attributes().userData(KEY);
    if (anchors == null) {
      anchors = new Anchors(doc);
      doc.attributes().userData(KEY, anchors);
    }
    return anchors;
  }
}
