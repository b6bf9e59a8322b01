/**
 * Implementation, not API: cleaning and matching names ({@link NameCleaner}), the searcher
 * ({@link NameResolver}) and the JSON form of its rows ({@link ResolutionJson}). Public only so
 * that the project's own modules can use it; no compatibility promise (docs/decisions.md,
 * "Public API").
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.resolve.internal;
