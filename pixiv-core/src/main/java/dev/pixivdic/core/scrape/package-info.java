/**
 * The entry point for embedders: {@link dev.pixivdic.core.scrape.PixivScraper} scrapes a list of
 * articles into a {@link dev.pixivdic.core.Sink}, politely, and returns the run's report.
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.scrape;
