/**
 * Implementation, not API: the file sources and sinks of the {@code pixiv} command
 * ({@link FileSource} for URL lists, CSV, NDJSON and stdin, {@link NdjsonSink}), the raw page
 * archive ({@link PageArchive}) and {@link Sources} for the batch-index slice used in
 * migration. Public only so that the project's own modules can use it; no compatibility promise
 * (docs/decisions.md, "Public API").
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.file.internal;
