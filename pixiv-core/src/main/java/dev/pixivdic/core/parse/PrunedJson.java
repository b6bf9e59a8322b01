package dev.pixivdic.core.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
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
 * Jackson skips a string checking its UTF-8 continuation bytes, so the skipped bytes cannot end
 * the string elsewhere than jsoup's decoding would; the bytes that are read are checked to be
 * well-formed UTF-8, so Jackson decodes them as jsoup does.
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

  private PrunedJson() {}

  /**
   * The tree of the JSON in {@code page[from, to)}.
   *
   * @throws Skeleton.Unsure when it is not readable JSON, or the bytes read are not
   *     well-formed UTF-8
   */
  static JsonNode read(byte[] page, int from, int to) {
    Pruning parser;
    JsonNode root;
    try {
      parser = new Pruning(JsonShapes.MAPPER.getFactory().createParser(page, from, to - from),
          page, from, to);
      try (parser) {
        root = JsonShapes.MAPPER.readTree(parser);
      }
    } catch (IOException e) {
      // Malformed, nested too deep, or bytes Jackson refuses: the full path says which.
      throw new Skeleton.Unsure("__NEXT_DATA__ is not readable JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new Skeleton.Unsure("__NEXT_DATA__ is empty");
    }
    int at = from;
    for (int k = 0; k < parser.count; k += 2) {
      if (!Skeleton.isWellFormedUtf8(page, at, parser.skipped[k])) {
        throw new Skeleton.Unsure("__NEXT_DATA__ is not well-formed UTF-8");
      }
      at = parser.skipped[k + 1];
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

  /** Jackson's parser, answering {@link #SKIPPED} for the text of a string nobody reads. */
  private static final class Pruning extends JsonParserDelegate {
    private final byte[] page;
    private final int from;
    private final int to;
    /** Byte ranges of the skipped strings, start and end, in page order. */
    int[] skipped = new int[16];
    int count;

    Pruning(JsonParser parser, byte[] page, int from, int to) {
      super(parser);
      this.page = page;
      this.from = from;
      this.to = to;
    }

    @Override
    public String getText() throws IOException {
      if (delegate.currentToken() != JsonToken.VALUE_STRING || isRead()) {
        return delegate.getText();
      }
      // The string's bytes, from its opening quote to its closing one: found again here, so
      // that the ranges left out of the UTF-8 check are exactly the skipped strings.
      long offset = delegate.currentTokenLocation().getByteOffset();
      int start = (int) offset + from;
      if (offset < 0 || start >= to || page[start] != '"') {
        throw new Skeleton.Unsure("__NEXT_DATA__: a string's place is not known");
      }
      int end = start + 1;
      while (end < to && page[end] != '"') {
        end += page[end] == '\\' ? 2 : 1;
      }
      if (end >= to) {
        throw new Skeleton.Unsure("__NEXT_DATA__: a string does not end");
      }
      if (count > 0 && skipped[count - 2] == start) {
        return SKIPPED;
      }
      if (count == skipped.length) {
        skipped = Arrays.copyOf(skipped, count * 2);
      }
      skipped[count++] = start;
      skipped[count++] = end + 1;
      return SKIPPED;
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
}
