package dev.pixivdic.core.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.ArticleUrl;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A corpus page opened for mutation: its DOM, its {@code __NEXT_DATA__} as a JSON tree (when it
 * has readable one), and the columns a mutation took away from it, which must then come out
 * absent. Not thread-safe; one per mutated page.
 */
final class MutablePage {

  static final ObjectMapper JSON = new ObjectMapper();

  final ArticleUrl url;
  /** The article's title as the expected row states it. */
  final String title;
  final Document doc;
  /** The readable {@code __NEXT_DATA__} tree, or null (none, or unreadable). */
  JsonNode nextData;
  /** Raw text that replaces the script's content when set (a truncation). */
  String rawNextData;
  /** Whether the mutation found something to change. */
  boolean applied;
  /** Columns the mutation removed from every source on the page. */
  final Set<String> removed = new LinkedHashSet<>();

  MutablePage(ArticleUrl url, String title, byte[] body) {
    this.url = url;
    this.title = title;
    this.doc = Jsoup.parse(new String(body, StandardCharsets.UTF_8), url.canonical());
    this.doc.outputSettings().prettyPrint(false);
    Element script = nextDataScript();
    if (script != null) {
      try {
        nextData = JSON.readTree(script.data());
      } catch (JsonProcessingException e) {
        nextData = null;
      }
    }
  }

  Element nextDataScript() {
    return doc.selectFirst("script#__NEXT_DATA__");
  }

  /** A page in the markup used until mid-2024 (no current header, a legacy body). */
  boolean legacy() {
    return doc.selectFirst("#article-content-header") == null
        && doc.selectFirst("#article-body") != null;
  }

  /** The article's header block: the current header, else the legacy title block. */
  Element header() {
    Element h = doc.selectFirst("#article-content-header");
    if (h == null) {
      h = doc.selectFirst("#content_title");
    }
    return h;
  }

  /** The object whose fields are the page's swr cache entries, creating the JSON if absent. */
  ObjectNode fallbackMap() {
    if (nextData == null) {
      if (nextDataScript() != null) {
        return null;
      }
      ObjectNode root = JSON.createObjectNode();
      root.putObject("props").putObject("pageProps").putObject("swrFallback");
      root.put("page", "/a/[name]");
      root.putObject("query").put("name", title);
      nextData = root;
      doc.body().appendElement("script").attr("id", "__NEXT_DATA__")
          .attr("type", "application/json");
    }
    JsonNode pageProps = nextData.path("props").path("pageProps");
    for (String key : new String[] {"swrFallback", "fallback"}) {
      if (pageProps.path(key).isObject()) {
        return (ObjectNode) pageProps.get(key);
      }
    }
    return pageProps.isObject() ? ((ObjectNode) pageProps).putObject("swrFallback") : null;
  }

  /** The page as bytes, with the JSON tree (or the raw override) written back. */
  byte[] render() {
    Element script = nextDataScript();
    if (script != null && (rawNextData != null || nextData != null)) {
      String data;
      try {
        data = rawNextData != null ? rawNextData : JSON.writeValueAsString(nextData);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      script.empty().appendChild(new DataNode(data));
    }
    return doc.outerHtml().getBytes(StandardCharsets.UTF_8);
  }
}
