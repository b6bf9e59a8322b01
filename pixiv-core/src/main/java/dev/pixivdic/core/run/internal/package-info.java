/**
 * Implementation, not API: the run engine ({@link RunEngine}, configured by {@link RunConfig})
 * that skips stored items, processes the rest with an {@link ItemProcessor}, writes batches and
 * watches for drift. Embedders use {@link dev.pixivdic.core.scrape.PixivScraper}, which wires it.
 * Public only so that the project's own modules can use it; no compatibility promise
 * (docs/decisions.md, "Public API").
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.run.internal;
