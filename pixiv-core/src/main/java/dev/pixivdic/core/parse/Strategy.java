package dev.pixivdic.core.parse;

/**
 * Where a parsed value came from: the provenance recorded per column in {@link ParseResult}.
 * Strategies are tried in this order for an HTML page; {@link #API_JSON} serves rows built
 * from the {@code _api} JSON pair.
 */
public enum Strategy {
  /** The JSON embedded in {@code script#__NEXT_DATA__}, found by shape. */
  NEXT_DATA,
  /** The {@code _api/get_article} and {@code _api/get_article_info} responses. */
  API_JSON,
  /** The current (Next.js) markup, read by semantic anchors: ids, title attributes, link texts. */
  DOM,
  /** The server-rendered markup used until about mid-2024. */
  LEGACY_DOM
}
