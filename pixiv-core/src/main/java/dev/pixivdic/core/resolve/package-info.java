/**
 * Resolving names (of works, franchises, characters) to articles through the site's search:
 * cleaning and matching names ({@link dev.pixivdic.core.resolve.NameCleaner}), the searcher
 * ({@link dev.pixivdic.core.resolve.NameResolver}) and its rows
 * ({@link dev.pixivdic.core.resolve.ResolutionRow}). Nulls never cross the API except where
 * documented.
 */
package dev.pixivdic.core.resolve;
