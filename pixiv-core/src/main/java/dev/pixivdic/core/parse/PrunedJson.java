package dev.pixivdic.core.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Set;

/**
 * The fast path's reading of the embedded JSON from the page's bytes: Jackson's own tree, except
 * that a string no reader looks at is not decoded but stands as {@link #SKIPPED}.
 *
 * <p>Which strings are read: those under a field named in {@link #READ} (or a key containing
 * {@code breadcrumbs}), at any depth below it. These are every field {@link JsonEntries} and
 * {@link ApiJsonReader} look at; everything else (the article's body, which the site embeds as
 * one long string, the lists of works) is only walked through for its shape. Why this gives the
 * full path's result: the tree has the same objects, arrays, keys, numbers and read strings; a
 * skipped string is read nowhere ({@link ApiJsonReader} throws {@link Skeleton.Unsure} if it
 * ever meets one), and it could change only a comparison of whole entries, which
 * {@link #requireWhole} turns into {@link Skeleton.Unsure} (then the whole page is parsed).
 * Every byte Jackson sees, skipped strings included, is checked to be well-formed UTF-8, so
 * Jackson decodes what jsoup would. Long string values ({@link LongStrings}, such as the body)
 * are not even shown to Jackson: it reads {@code ""} in their place (see there why that is the
 * same JSON), and one that a reader looks at is read from the page by itself. Nodes are
 * Jackson's, except that every skipped string is one shared node.
 */
final class PrunedJson {

  /** Stands for a string left out; told from any text by identity. */
  static final String SKIPPED = new String("\uE000skipped");

  /** The fields whose strings, at any depth below them, the readers of the entries read. */
  private static final Set<String> READ = Set.of("tagName", "yomigana", "abstract", "id",
      "mainIllust", "imageUrl", "relatedArticles", "parent_article", "child_articles",
      "sibling_articles", "tagNameListInArticleJa", "updatedAtTimestamp", "articleViewCount",
      "commentCount", "pixivWorkCount", "checklistCount", "lastUpdatedAt", "categories", "name",
      "page", "query");

  private static final ObjectReader READER = JsonShapes.MAPPER.reader().with(new Nodes());

  private PrunedJson() {}

  /**
   * The tree of the JSON in {@code page[from, to)}.
   *
   * @throws Skeleton.Unsure when it is not readable JSON, or the bytes read are not
   *     well-formed UTF-8
   */
  static JsonNode read(byte[] page, int from, int to) {
    return read(page, from, to, false);
  }

  /**
   * As {@link #read(byte[], int, int)}; {@code wellFormedUtf8} true says the caller has checked
   * that the page's bytes are well-formed UTF-8, so those Jackson sees are not checked again.
   */
  static JsonNode read(byte[] page, int from, int to, boolean wellFormedUtf8) {
    LongStrings left = LongStrings.of(page, from, to);
    JsonNode root;
    try (JsonParser parser = new Pruning(JsonShapes.MAPPER.getFactory()
        .createParser(left.json(page)), page, from, left, wellFormedUtf8)) {
      root = READER.readTree(parser);
    } catch (IOException e) {
      // Malformed, nested too deep, or bytes Jackson refuses: the full path says which.
      throw new Skeleton.Unsure("__NEXT_DATA__ is not readable JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new Skeleton.Unsure("__NEXT_DATA__ is empty");
    }
    if (wellFormedUtf8) {
      return root;
    }
    // Every byte Jackson saw, skipped strings included, must be well-formed UTF-8.
    int at = from;
    for (int k = 0; k < left.count(); k++) {
      if (!Skeleton.isWellFormedUtf8(page, at, left.open(k) + 1)) {
        throw new Skeleton.Unsure("__NEXT_DATA__ is not well-formed UTF-8");
      }
      at = left.close(k);
    }
    if (!Skeleton.isWellFormedUtf8(page, at, to)) {
      throw new Skeleton.Unsure("__NEXT_DATA__ is not well-formed UTF-8");
    }
    return root;
  }

  /**
   * Throws {@link Skeleton.Unsure} when whole entries are about to be compared and one holds a
   * skipped string: two entries that differ only there would look equal.
   */
  static void requireWhole(Collection<JsonNode> nodes) {
    if (nodes.size() < 2) {
      return;
    }
    Deque<JsonNode> todo = new ArrayDeque<>(nodes);
    while (!todo.isEmpty()) {
      JsonNode n = todo.pop();
      if (n.isTextual() && isSkipped(n)) {
        throw new Skeleton.Unsure("JSON entries with skipped strings are compared");
      }
      if (n.isContainerNode()) {
        n.forEach(todo::push);
      }
    }
  }

  /** Whether {@code n} is a string the fast path did not read. */
  static boolean isSkipped(JsonNode n) {
    return n.textValue() == SKIPPED;
  }

  /**
   * Jackson's parser over the JSON without its long strings, answering {@link #SKIPPED} for
   * the text of a string nobody reads, and a long string's text, read from the page, when
   * somebody does.
   */
  private static final class Pruning extends JsonParserDelegate {
    private final byte[] page;
    private final int from;
    private final LongStrings left;
    /** The next long string, and the bytes of those before it, left out of the input. */
    private int nextLeft;
    private int leftBefore;
    private final boolean wellFormedUtf8;

    Pruning(JsonParser parser, byte[] page, int from, LongStrings left,
        boolean wellFormedUtf8) {
      super(parser);
      this.page = page;
      this.from = from;
      this.left = left;
      this.wellFormedUtf8 = wellFormedUtf8;
    }

    @Override
    public String getText() throws IOException {
      if (delegate.currentToken() != JsonToken.VALUE_STRING) {
        return delegate.getText();
      }
      if (!isRead()) {
        // Never decoded: Jackson skips its bytes when it moves on, checking their UTF-8.
        return SKIPPED;
      }
      String text = delegate.getText();
      if (!text.isEmpty() || left.count() == 0) {
        return text;
      }
      // Empty in the input: an empty string, or a long one left out of it.
      int start = pagePosition(delegate.currentTokenLocation().getByteOffset());
      return nextLeft < left.count() && left.open(nextLeft) == start ? longString(nextLeft)
          : text;
    }

    /**
     * The page position of the input's byte {@code offset}: the input lacks the contents of
     * the long strings before it. Asked in input order.
     */
    private int pagePosition(long offset) {
      if (offset < 0) {
        throw new Skeleton.Unsure("__NEXT_DATA__: a string's place is not known");
      }
      int p = from + (int) offset + leftBefore;
      while (nextLeft < left.count() && left.open(nextLeft) < p) {
        // That string's "" is behind in the input: its contents come before this byte.
        int length = left.close(nextLeft) - left.open(nextLeft) - 1;
        leftBefore += length;
        p += length;
        nextLeft++;
      }
      return p;
    }

    /** The text of a long string somebody reads: Jackson reads it from the page's bytes. */
    private String longString(int k) throws IOException {
      int open = left.open(k);
      int end = left.close(k) + 1;
      if (!wellFormedUtf8 && !Skeleton.isWellFormedUtf8(page, open, end)) {
        throw new Skeleton.Unsure("__NEXT_DATA__ is not well-formed UTF-8");
      }
      try (JsonParser p = JsonShapes.MAPPER.getFactory().createParser(page, open, end - open)) {
        p.nextToken();
        return p.getText();
      }
    }

    private boolean isRead() {
      for (JsonStreamContext c = delegate.getParsingContext(); c != null; c = c.getParent()) {
        String name = c.getCurrentName();
        if (name != null && (READ.contains(name) || name.contains("breadcrumbs"))) {
          return true;
        }
      }
      return false;
    }
  }

  /** Jackson's node factory, with one node for every skipped string. */
  private static final class Nodes extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;
    private static final TextNode SKIPPED_NODE = new TextNode(SKIPPED);

    @Override
    public TextNode textNode(String text) {
      return text == SKIPPED ? SKIPPED_NODE : super.textNode(text);
    }
  }
}
