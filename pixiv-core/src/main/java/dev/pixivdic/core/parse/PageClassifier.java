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

  /**
   * What a maintenance notice's title or first heading says (メンテナンス中【ピクシブ百科事典】,
   * ただいまメンテナンス中です): a word about maintenance alone is not enough, an article may be
   * about it.
   */
  private static final List<String> MAINTENANCE_NOTICES = List.of("メンテナンス中", "ただいまメンテナンス");

  /**
   * Why the page looks like a maintenance notice, or null: its {@code og:description} mentions
   * メンテナンス, or its title or first heading announces it (the notice may come without an
   * {@code og:description}). Callers ask only about a page that is no article (or answered
   * 503): an article titled メンテナンス中 is read as the article it is.
   */
  static String maintenance(Document doc) {
    String og = Html.meta(doc, "og:description");
    if (og != null && og.contains("メンテナンス")) {
      return "maintenance: og:description '" + og + "'";
    }
    Element h1 = doc.selectFirst(Html.css("h1"));
    String[] where = {"title", "first heading"};
    String[] said = {Html.title(doc), h1 == null ? "" : Text.norm(Html.text(h1))};
    for (int i = 0; i < said.length; i++) {
      String s = said[i];
      if (s != null && MAINTENANCE_NOTICES.stream().anyMatch(s::contains)) {
        return "maintenance: " + where[i] + " '" + s + "'";
      }
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
