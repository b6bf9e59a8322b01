/**
 * Implementation, not API: the JSON form of rows ({@link RowJson}), the column list
 * ({@link RowSchema}), the build's version ({@link ScraperVersion}) and a set of fingerprints
 * ({@link LongHashSet}); the duration grammar is pixiv-support's {@code Durations}. Public only
 * so that the project's own modules can use it; no compatibility promise (docs/decisions.md,
 * "Public API").
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.internal;
