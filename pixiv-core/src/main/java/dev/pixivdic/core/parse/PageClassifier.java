package dev.pixivdic.core.parse;

import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Recognises the pages that are not articles: bot challenges, maintenance notices and the
 * site's not-found page. Each check answers a reason for the result's detail, or null.
 */
final class PageClassifier {

  private static final List<String> CHALLENGE_TITLES = List.of(
      "Just a moment...", "しばらくお待ちください", "Attention Required", "Access denied");

  private PageClassifier() {}

  /**
   * Why the page looks like a Cloudflare challenge, or null. Normal pages can also load
   * Cloudflare's {@code challenge-platform} script, so callers trust this only when the page
   * is not an article or the status says so.
   */
  static String challenge(Document doc) {
    String title = Html.title(doc);
    for (String t : CHALLENGE_TITLES) {
      if (title.startsWith(t)) {
        return "bot challenge: title '" + title + "'";
      }
    }
    if (doc.selectFirst(Html.css("#challenge-form, #challenge-running, #cf-challenge-running,"
        + " script[src*=challenge-platform], form[action*=challenge-platform]")) != null) {
      return "bot challenge: challenge-platform markup";
    }
    for (Element script : doc.select(Html.css("script"))) {
      if (script.data().contains("challenge-platform")) {
        return "bot challenge: challenge-platform script";
      }
    }
    return null;
  }

  /** Why the page looks like a maintenance notice, or null. */
  static String maintenance(Document doc) {
    String og = Html.meta(doc, "og:description");
    if (og != null && og.contains("メンテナンス")) {
      return "maintenance: og:description '" + og + "'";
    }
    return null;
  }

  /**
   * Assumed, not documented: the site's not-found page says 404 or 見つかりません in its
   * title or first heading. Used only when the HTTP status is unknown.
   */
  static String notFound(Document doc) {
    Element h1 = doc.selectFirst(Html.css("h1"));
    for (String s
        : new String[] {Html.title(doc), h1 == null ? "" : Text.norm(Html.text(h1))}) {
      if (s != null && (s.contains("404") || s.contains("見つかりません"))) {
        return "the page reads '" + s + "'";
      }
    }
    return null;
  }
}
