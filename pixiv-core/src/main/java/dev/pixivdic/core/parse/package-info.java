/**
 * The page parser: {@link dev.pixivdic.core.parse.ArticleParser} turns an article page (or the
 * {@code _api} JSON behind it) into an outcome and a row with per-column provenance;
 * {@link dev.pixivdic.core.parse.SearchPageParser} reads search result pages. Both are pure
 * functions of their input and thread-safe.
 *
 * <p>Null-safety: parameters and return values are non-null unless documented; the nullable
 * fields of rows and hits are absent values.
 */
package dev.pixivdic.core.parse;
