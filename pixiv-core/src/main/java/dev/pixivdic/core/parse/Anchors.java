package dev.pixivdic.core.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * test every match passes (its tag, the attribute it reads, the id it names), so most elements
 * are tested against none, and a link only against the queries of the attributes it has. A few
 * queries with combinators whose matches are all matches of an indexed query (an {@code h1}
 * under some block) are that query's matches that jsoup says match ({@link Element#is}), in
 * the same order. Other queries go to jsoup.
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
   * For each indexed query, what every match has: one of its alternatives, each a tag (or any
   * tag when null), an attribute whatever its case (or none when null) and a value of
   * {@link Element#id()} whatever its case (or any when null; jsoup compares ids ignoring case
   * in its web query mode on a quirks-mode page). The cheap test in front of jsoup's.
   */
  private static final List<List<Gate>> GATES = List.of(
      List.of(new Gate("script", null, "__NEXT_DATA__")),
      List.of(new Gate("h1", null, "article-name")),
      List.of(new Gate(null, null, "article-abstract")),
      List.of(new Gate("a", "gtm-class", null), new Gate("a", "data-gtm-class", null)),
      List.of(new Gate("a", "data-gtm-class", null)),
      List.of(new Gate("a", "href", null)),
      List.of(new Gate(null, null, "article-body")),
      List.of(new Gate("h2", null, null), new Gate("h3", null, null), new Gate("h4", null, null)),
      List.of(new Gate(null, null, "article-name"), new Gate("h1", null, null)),
      List.of(new Gate(null, null, "article-relation")),
      List.of(new Gate(null, null, "breadcrumbs")),
      List.of(new Gate(null, "itemtype", null)));
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
  /**
   * The alternatives of {@link #GATES} in one list, one bit each: for each tag, the alternatives
   * it satisfies (those of that tag or of none; {@link #ANY_TAG} for other tags), and likewise
   * for each id value; for each attribute, the alternatives that need it.
   */
  private static final Map<String, Integer> TAG_ALTERNATIVES = new HashMap<>();
  private static final Map<String, Integer> ID_ALTERNATIVES =
      new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  /** The lengths of the ids {@link #ID_ALTERNATIVES} names, one bit each. */
  private static final long ID_LENGTHS;
  private static final int ANY_TAG;
  private static final int ANY_ID;
  private static final String[] ATTRIBUTES;
  private static final int[] ATTRIBUTE_ALTERNATIVES;
  /** The alternatives that need some attribute, or some id. */
  private static final int NEED_ATTRIBUTE;
  private static final int NEED_ID;
  /** For each alternative, the query (its index in {@link #QUERIES}) it admits to. */
  private static final int[] QUERY_OF;
  private static final String KEY = "dev.pixivdic.anchors";

  static {
    List<Gate> all = new ArrayList<>();
    List<Integer> queryOf = new ArrayList<>();
    for (int q = 0; q < GATES.size(); q++) {
      for (Gate g : GATES.get(q)) {
        all.add(g);
        queryOf.add(q);
      }
    }
    if (GATES.size() != QUERIES.size() || all.size() > Integer.SIZE) {
      // One bit per alternative in an int: a query without its gate would never be tested.
      throw new IllegalStateException("one gate per query, at most 32 alternatives");
    }
    int anyTag = 0;
    int anyId = 0;
    int needAttribute = 0;
    Map<String, Integer> attributes = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      Gate g = all.get(i);
      int bit = 1 << i;
      if (g.tag() == null) {
        anyTag |= bit;
      } else {
        TAG_ALTERNATIVES.merge(g.tag(), bit, (a, b) -> a | b);
      }
      if (g.id() == null) {
        anyId |= bit;
      } else {
        ID_ALTERNATIVES.merge(g.id(), bit, (a, b) -> a | b);
      }
      if (g.attribute() != null) {
        needAttribute |= bit;
        attributes.merge(g.attribute(), bit, (a, b) -> a | b);
      }
    }
    ANY_TAG = anyTag;
    ANY_ID = anyId;
    TAG_ALTERNATIVES.replaceAll((tag, bits) -> bits | ANY_TAG);
    ID_ALTERNATIVES.replaceAll((id, bits) -> bits | ANY_ID);
    long idLengths = 0;
    for (String id : ID_ALTERNATIVES.keySet()) {
      if (id.length() >= Long.SIZE) {
        throw new IllegalStateException("an id too long for the length gate: " + id);
      }
      idLengths |= 1L << id.length();
    }
    ID_LENGTHS = idLengths;
    NEED_ATTRIBUTE = needAttribute;
    NEED_ID = ~anyId;
    ATTRIBUTES = attributes.keySet().toArray(String[]::new);
    ATTRIBUTE_ALTERNATIVES = attributes.values().stream().mapToInt(Integer::intValue).toArray();
    QUERY_OF = queryOf.stream().mapToInt(Integer::intValue).toArray();
  }

  private final Elements[] found;
  private final List<Predicate<Element>> tests;

  private record Gate(String tag, String attribute, String id) {}

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

  /** Tests {@code e} against the queries one of whose alternatives admits it. */
  private void visit(Element e) {
    int admitted = TAG_ALTERNATIVES.getOrDefault(e.normalName(), ANY_TAG);
    if (e.attributesSize() == 0) {
      admitted &= ~NEED_ATTRIBUTE & ~NEED_ID;
    } else {
      if ((admitted & NEED_ATTRIBUTE) != 0) {
        for (int a = 0; a < ATTRIBUTES.length; a++) {
          if ((admitted & ATTRIBUTE_ALTERNATIVES[a]) != 0
              && !e.attributes().hasKeyIgnoreCase(ATTRIBUTES[a])) {
            admitted &= ~ATTRIBUTE_ALTERNATIVES[a];
          }
        }
      }
      if ((admitted & NEED_ID) != 0) {
        admitted &= namedId(e);
      }
    }
    int candidates = 0;
    while (admitted != 0) {
      candidates |= 1 << QUERY_OF[Integer.numberOfTrailingZeros(admitted)];
      admitted &= admitted - 1;
    }
    while (candidates != 0) {
      int i = Integer.numberOfTrailingZeros(candidates);
      candidates &= candidates - 1;
      if (tests.get(i).test(e)) {
        found[i].add(e);
      }
    }
  }

  /**
   * The alternatives {@code e}'s id admits: those naming it (whatever its case), and those
   * naming none. Most elements have no id, or one of another length than every named id, so
   * they are told apart without comparing strings (ids equal ignoring case have the same
   * length).
   */
  private static int namedId(Element e) {
    String id = e.id(); // "" when there is none, a length no named id has
    int length = id.length();
    if (length >= Long.SIZE || (ID_LENGTHS & 1L << length) == 0) {
      return ANY_ID;
    }
    return ID_ALTERNATIVES.getOrDefault(id, ANY_ID);
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
