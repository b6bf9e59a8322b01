/**
 * Resolving names (of works, franchises, characters) to articles through the site's search: the
 * items ({@link dev.pixivdic.core.resolve.NameItem}) and the rows
 * ({@link dev.pixivdic.core.resolve.ResolutionRow}) that the sources and sinks exchange. The
 * searcher and the name cleaning are implementation, in {@code resolve.internal}. Nulls never
 * cross the API except where documented.
 */
package dev.pixivdic.core.resolve;
