/**
 * Implementation, not API: fetching and parsing one article ({@link ArticleScraper}), stamping
 * its row with the run's metadata ({@link RowStamper}), and recording fetched pages
 * ({@link PageRecorder}). Public only so that the project's own modules can use it; no
 * compatibility promise (docs/decisions.md, "Public API").
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.scrape.internal;
