package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, in a JSON tree, the entries that belong to one article: its {@code get_article}
 * object, its {@code get_article_info} object and its breadcrumb list. A function of the tree
 * and a {@link PageIdentity} alone, with no DOM, so any reader that has the JSON as a Jackson
 * tree (a DOM parse, or a streaming scan of the page's bytes) decides the same way.
 *
 * <p>Entries are found by shape, anywhere in the tree, in an iterative walk (no recursion):
 * an <em>article entry</em> is an object with a string {@code tagName} and a {@code yomigana}
 * or {@code abstract} that is not inside another one, nor inside any object with a
 * {@code tagName} (the related articles an entry lists have that shape too: they are never
 * entries, and what they hold is theirs); an <em>info</em> object has
 * {@code articleViewCount}, or two of {@code commentCount}, {@code pixivWorkCount},
 * {@code checklistCount}, and is not in an item of a list (a graph's points, recommended
 * cards), nor, inside an entry, anywhere but the entry itself or right under a key
 * {@code info} or {@code articleInfo} (a period's counts, {@code "stats": {"lastWeek": ...}},
 * are not the totals); a
 * <em>breadcrumb list</em> is an array of objects with {@code tagName} under a key containing
 * {@code breadcrumbs}. What ties each to the article:
 * <ul>
 *   <li>an article entry names itself: its {@code tagName} must name the page; one cached
 *       under the API path of another article (a number that is not its id, or a title that
 *       other objects of the tree are named or keyed by) is left out;
 *   <li>an info object or breadcrumb list is the page's when it sits inside the page's article
 *       entry, or under a key whose API path names the page's title or article id
 *       ({@code /_api/get_article_info/<title>}), and its own name ({@code tagName}, else for an
 *       info object {@code title}), if any, agrees; an info object under another endpoint's
 *       path, or the info endpoint with a query but {@code lang} (a graph's, a week's, a
 *       history's, recommended cards), is never the totals, whatever it names; outside entries
 *       and API paths, one naming the page is its totals only right under a key {@code info} or
 *       {@code articleInfo} (not {@code "ranking": {"daily": ...}});
 *   <li>names in the tree must be the page's title exactly ({@link PageIdentity#namesExactly}):
 *       a width or case variant may be another article;
 *   <li>one that names nothing is taken only when it is the only one of its kind and nothing in
 *       the tree belongs to another article (then nothing says whose it is).
 * </ul>
 * When the tree's route ({@code "page": "/a/[name]"} with {@code query.name}) names another
 * article, nothing in it is taken. When several entries of a kind are the page's and differ,
 * none is taken. The notes say what was left out and why.
 */
// One piece although over 300 lines: the ownership rules above decide together (an entry left
// out changes which info and breadcrumbs are taken), so they are read in one place.
final class JsonEntries {

  private static final Pattern API_NAME = Pattern.compile("get_[A-Za-z_]+/([^/?#&\"\\s]+)");
  private static final List<String> COUNT_KEYS = List.of("commentCount", "pixivWorkCount",
      "checklistCount");

  private JsonEntries() {}

  /**
   * What belongs to the article.
   *
   * @param article its article entry, or null
   * @param info its info object, or null
   * @param breadcrumbs its breadcrumb list, or null
   * @param notes why entries found were not taken; empty when nothing was left out
   */
  record Selection(JsonNode article, JsonNode info, JsonNode breadcrumbs, List<String> notes) {
    Selection {
      notes = List.copyOf(requireNonNull(notes, "notes"));
    }

    boolean isEmpty() {
      return article == null && info == null && breadcrumbs == null;
    }
  }

  /** The entries of {@code root} (such as {@code __NEXT_DATA__}) that belong to the page. */
  static Selection forPage(JsonNode root, PageIdentity page) {
    List<String> notes = new ArrayList<>();
    JsonNode route = root.path("query").path("name");
    if (root.path("page").asText("").contains("[name]") && route.isTextual()
        && !page.names(route.asText())) {
      notes.add("the JSON is the page of '" + route.asText() + "', not " + page.describe());
      return new Selection(null, null, null, notes);
    }
    Found found = walk(root);
    List<JsonNode> ours = new ArrayList<>();
    Set<String> others = new LinkedHashSet<>();
    Set<String> elsewhere = otherNames(found, page);
    for (Place p : found.articles) {
      JsonNode a = p.node();
      String name = a.get("tagName").asText();
      if (!page.namesExactly(name)) {
        others.add(name);
      } else if (cachedAsAnother(p, page, elsewhere)) {
        // The entry says it is this article, the API path it was cached under says another:
        // one of them is wrong, and nothing says which.
        notes.add("an entry naming " + page.describe() + " cached as '" + p.keyName()
            + "' left out");
        others.add(p.keyName());
      } else {
        ours.add(a);
      }
    }
    JsonNode article = one(ours, "article entries", notes);
    if (article == null && ours.size() > 1) {
      // Two versions of this article: nothing else in the JSON can be matched to either.
      notes.add("nothing taken from it");
      return new Selection(null, null, null, notes);
    }
    if (!others.isEmpty()) {
      notes.add((article == null ? "no article entry names " + page.describe() + "; " : "")
          + "entries of other articles left out: '" + String.join("', '", others) + "'");
    }
    Set<String> ids = new LinkedHashSet<>();
    ours.forEach(a -> {
      if (a.hasNonNull("id")) {
        ids.add(a.get("id").asText());
      }
    });
    JsonNode info = owned(found.infos, "info objects", page, ours, ids, others, article, notes);
    JsonNode crumbs = owned(found.crumbs, "breadcrumb lists", page, ours, ids, others, article,
        notes);
    return new Selection(article, info, crumbs, notes);
  }

  /**
   * The entries of an {@code _api} response fetched for the page: the same rules, except that
   * an article entry that does not name the page is still taken when it is the response's only
   * one (the API answers an alias with its target), and the only info object is taken.
   */
  static Selection forResponse(JsonNode root, PageIdentity page) {
    Selection s = forPage(root, page);
    Found found = walk(root);
    JsonNode article = s.article();
    if (article == null && found.articles.size() == 1) {
      article = found.articles.get(0).node();
    }
    JsonNode info = s.info();
    // The only info object outside the articles an entry lists (a child's counts are the
    // child's).
    List<Place> infos = found.infos.stream().filter(p -> p.entry() == null
        || found.articles.stream().anyMatch(a -> a.node() == p.entry())).toList();
    if (info == null && infos.size() == 1) {
      info = infos.get(0).node;
    }
    return new Selection(article, info, s.breadcrumbs(), s.notes());
  }

  /**
   * The titles other objects of the tree name as theirs: the {@code tagName} of entries and
   * infos that do not name the page, and the API paths of keys that do not name it.
   */
  private static Set<String> otherNames(Found found, PageIdentity page) {
    Set<String> out = new LinkedHashSet<>();
    for (Place p : found.articles) {
      out.add(Text.key(p.node().get("tagName").asText()));
    }
    for (List<Place> places : List.of(found.infos, found.crumbs)) {
      for (Place p : places) {
        if (p.ownName() != null) {
          out.add(Text.key(p.ownName()));
        }
        if (p.keyName() != null) {
          out.add(Text.key(p.keyName()));
        }
      }
    }
    out.removeIf(page::names);
    return out;
  }

  /**
   * Whether an entry naming the page sits under the API path of another article: a number
   * that is not its own id, or a title the tree gives to another article. A key naming a
   * title known nowhere else does not count: a request path may spell the article otherwise.
   */
  private static boolean cachedAsAnother(Place p, PageIdentity page, Set<String> elsewhere) {
    String key = p.keyName();
    if (key == null || page.names(key)) {
      return false;
    }
    if (key.chars().allMatch(Character::isDigit)) {
      return !key.equals(p.node().path("id").asText(null));
    }
    return elsewhere.contains(Text.key(key));
  }

  /**
   * An object found in the tree with what ties it: a name of its own, its key, its entry,
   * whether its API path is another endpoint's, and whether it sits where the article's info
   * sits when no API path names it (the tree's root, or right under a key {@code info} or
   * {@code articleInfo}, maybe in a {@code body} wrapper).
   */
  private record Place(JsonNode node, String ownName, String keyName, JsonNode entry,
      boolean otherApi, boolean infoPlace) {
    Place(JsonNode node, String ownName, String keyName, JsonNode entry) {
      this(node, ownName, keyName, entry, false, false);
    }
  }

  private static final class Found {
    final List<Place> articles = new ArrayList<>();
    final List<Place> infos = new ArrayList<>();
    final List<Place> crumbs = new ArrayList<>();
  }

  /**
   * A node to visit: the API path it sits under, the entry it sits in, whether an object above
   * it names an article ({@code tagName}), whether it is in an item of a list, the keys that
   * lead to it from its entry (null outside an entry), and whether its API path is another
   * endpoint than the article info's ({@code get_graph_data}, a ranged info), and whether it
   * sits where an info object names the article by itself ({@link Place#infoPlace}).
   */
  private record Frame(JsonNode node, String keyName, JsonNode entry, boolean insideNamed,
      boolean listed, String inEntry, boolean otherApi, boolean infoPlace) {}

  private static Found walk(JsonNode root) {
    Found found = new Found();
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, null, null, false, false, null, false, true));
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      JsonNode n = f.node();
      if (n.isArray()) {
        for (int i = n.size() - 1; i >= 0; i--) {
          JsonNode item = n.get(i);
          if (item.isContainerNode()) {
            stack.push(new Frame(item, f.keyName(), f.entry(), f.insideNamed(), true,
                f.inEntry(), f.otherApi(), false));
          }
        }
        continue;
      }
      if (!n.isObject()) {
        continue;
      }
      JsonNode entry = f.entry();
      boolean isNamed = n.path("tagName").isTextual();
      if (isNamed && f.insideNamed()) {
        // An article named inside another named object (the parent, a child, a sibling that an
        // entry lists): never an entry, and what it holds (counts, breadcrumbs) is its own.
        entry = n;
      } else if (entry == null && isArticle(n)) {
        found.articles.add(new Place(n, null, f.keyName(), null));
        entry = n;
      }
      if (isInfo(n)) {
        // An info object in a list (the points of a graph, cards of recommended articles) is
        // one of many, never the article's own counts. Inside an entry, only the entry itself
        // or an object right under an info key is the entry's counts: deeper, or under another
        // key, it counts something else (a period).
        if (!f.listed() && (entry == null || entry == n || infoKey(f.inEntry()))) {
          found.infos.add(new Place(n, ownName(n), f.keyName(), entry, f.otherApi(),
              f.infoPlace()));
        }
        if (entry != n) {
          continue;
        }
      }
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(n.size());
      n.properties().forEach(fields::add);
      for (int i = fields.size() - 1; i >= 0; i--) {
        Map.Entry<String, JsonNode> e = fields.get(i);
        if (!e.getValue().isContainerNode()) {
          // Neither an entry nor a list: nothing below it to find.
          continue;
        }
        String named = apiName(e.getKey());
        String keyName = named != null ? named : f.keyName();
        boolean otherApi = named != null ? !INFO_API.matcher(e.getKey()).find() : f.otherApi();
        if (e.getKey().contains("breadcrumbs") && isCrumbs(e.getValue())) {
          found.crumbs.add(new Place(e.getValue(), null, keyName, entry));
          continue;
        }
        String inEntry = entry == null ? null
            : entry == n ? e.getKey() : f.inEntry() == null ? null : f.inEntry() + "\n";
        boolean infoPlace = infoKey(e.getKey()) || e.getKey().equals("body") && f.infoPlace();
        stack.push(new Frame(e.getValue(), keyName, entry, f.insideNamed() || isNamed,
            f.listed(), inEntry, otherApi, infoPlace));
      }
    }
    // The walk is depth-first with children pushed in reverse: entries come in document order.
    return found;
  }

  /**
   * The one info object or breadcrumb list of the article. Each is the page's when it sits in
   * the page's entry, or names the page (its own {@code tagName}, else its key's API path);
   * another article's when it sits in or names another; anonymous otherwise.
   */
  private static JsonNode owned(List<Place> places, String kind, PageIdentity page,
      List<JsonNode> ours, Set<String> ids, Set<String> otherArticles, JsonNode article,
      List<String> notes) {
    List<JsonNode> mine = new ArrayList<>();
    List<JsonNode> anonymous = new ArrayList<>();
    int foreign = 0;
    int notTotals = 0;
    for (Place p : places) {
      switch (ownedBy(p, page, ours, ids)) {
        case ANONYMOUS -> anonymous.add(p.node());
        case PAGE -> mine.add(p.node());
        case OTHER -> foreign++;
        case NOT_TOTALS -> notTotals++;
      }
    }
    if (notTotals > 0) {
      notes.add(notTotals + " " + kind + " that are not the article's totals left out (another "
          + "endpoint's or query's, named unlike their key, or outside an info key)");
    }
    // Counts of something else than the totals stand in the way of an anonymous info as
    // another article's do: the JSON holds more than one set of counts.
    foreign += notTotals;
    if (!mine.isEmpty()) {
      // An anonymous one may be this article's too: then they must agree.
      mine.addAll(anonymous);
      return one(mine, kind, notes);
    }
    if (anonymous.isEmpty()) {
      if (foreign > 0) {
        notes.add(foreign + " " + kind + " of other articles left out");
      }
      return null;
    }
    if (anonymous.size() == 1 && foreign == 0 && otherArticles.isEmpty() && article != null) {
      return anonymous.get(0);
    }
    notes.add(anonymous.size() + " " + kind + " that name no article left out: the JSON also "
        + "holds " + (foreign + otherArticles.size() > 0 ? "other articles'" : "no article entry "
        + "of this page") + ", so they cannot be told apart");
    return null;
  }

  /** Whose an info object or breadcrumb list is. */
  private enum Owner {
    /** The page's. */
    PAGE,
    /** Another article's. */
    OTHER,
    /** Nothing says. */
    ANONYMOUS,
    /** Not the totals of any article: another endpoint's, or its place and name disagree. */
    NOT_TOTALS
  }

  /**
   * Whose {@code p} is. Where it sits decides first (its entry, else the API path of its key);
   * its own name ({@code tagName}, {@code title}) must then agree, else nothing says which of
   * the two is wrong. An object under another endpoint's path (a graph's, a week's, a
   * history's, recommended cards') holds no totals whatever it names, nor does one naming the
   * page outside any entry, API path or info key ({@code "ranking": {"daily": ...}}).
   */
  private static Owner ownedBy(Place p, PageIdentity page, List<JsonNode> ours,
      Set<String> ids) {
    String own = p.ownName();
    boolean placedOurs;
    if (p.entry() != null) {
      placedOurs = ours.stream().anyMatch(o -> o == p.entry());
    } else if (p.keyName() != null) {
      if (p.otherApi()) {
        return Owner.NOT_TOTALS;
      }
      placedOurs = page.namesExactly(p.keyName()) || ids.contains(p.keyName());
    } else if (own == null) {
      return Owner.ANONYMOUS;
    } else if (p.infoPlace()) {
      return page.namesExactly(own) ? Owner.PAGE : Owner.OTHER;
    } else {
      return page.namesExactly(own) ? Owner.NOT_TOTALS : Owner.OTHER;
    }
    if (own != null && page.namesExactly(own) != placedOurs) {
      return placedOurs ? Owner.NOT_TOTALS : Owner.OTHER;
    }
    return placedOurs ? Owner.PAGE : Owner.OTHER;
  }

  /** The one distinct value, or null with a note when several differ. */
  private static JsonNode one(List<JsonNode> nodes, String kind, List<String> notes) {
    PrunedJson.requireWhole(nodes);
    Set<JsonNode> distinct = new LinkedHashSet<>(nodes);
    if (distinct.size() > 1) {
      notes.add(distinct.size() + " differing " + kind + " for this article left out");
      return null;
    }
    return distinct.isEmpty() ? null : distinct.iterator().next();
  }

  /**
   * Whether the keys from an entry to an object are one key that is {@code info}: one key whose
   * letters a-z, once lower-cased, are those of an {@link #INFO_KEYS} word, whatever else it
   * holds ({@code article_info}, {@code Info2}).
   */
  static boolean infoKey(String inEntry) {
    if (inEntry == null || inEntry.indexOf('\n') >= 0) {
      return false;
    }
    // Called for every object under an entry: no regular expression (compiling one per call
    // was an eighth of a fast parse's allocation) and no copy of a key already lower-case.
    String lower = inEntry.toLowerCase(Locale.ROOT);
    for (String word : INFO_KEYS) {
      if (lettersAre(lower, word)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the letters a-z of {@code s}, in order, are {@code word}'s. */
  private static boolean lettersAre(String s, String word) {
    int k = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        if (k == word.length() || word.charAt(k) != c) {
          return false;
        }
        k++;
      }
    }
    return k == word.length();
  }

  private static final Set<String> INFO_KEYS = Set.of("info", "articleinfo");
  /** The article info's endpoint, maybe with a language: its counts are the totals. */
  private static final Pattern INFO_API =
      Pattern.compile("get_article_info/[^/?#&\"\\s]+(?:\\?lang=[A-Za-z_-]*)?$");

  static boolean isArticle(JsonNode n) {
    return n.path("tagName").isTextual() && (n.has("yomigana") || n.has("abstract"));
  }

  static boolean isInfo(JsonNode n) {
    if (n.has("articleViewCount")) {
      return true;
    }
    int counts = 0;
    for (String key : COUNT_KEYS) {
      counts += n.has(key) ? 1 : 0;
    }
    return counts >= 2;
  }

  private static boolean isCrumbs(JsonNode n) {
    return n.isArray() && n.size() > 0 && n.get(0).isObject() && n.get(0).has("tagName");
  }

  /**
   * The article an info object names itself by: its {@code tagName}, else its {@code title} (a
   * card of a recommended article carries its title and counts).
   */
  private static String ownName(JsonNode n) {
    if (isArticle(n)) {
      return null;
    }
    JsonNode name = n.path("tagName").isTextual() ? n.get("tagName") : n.get("title");
    return name != null && name.isTextual() ? name.asText() : null;
  }

  /** The title or id an API path in a key names ({@code /_api/get_article_info/<title>}). */
  static String apiName(String key) {
    if (!key.contains("get_")) {
      return null;
    }
    Matcher m = API_NAME.matcher(key);
    return m.find() ? Text.percentDecode(m.group(1), false) : null;
  }
}
