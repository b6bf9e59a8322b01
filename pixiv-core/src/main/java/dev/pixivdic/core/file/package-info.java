/**
 * File-based sources and sinks: {@link dev.pixivdic.core.file.FileSource} (URL list, CSV,
 * NDJSON, stdin), {@link dev.pixivdic.core.file.NdjsonSink}, the raw page archive
 * {@link dev.pixivdic.core.file.PageArchive}, and {@link dev.pixivdic.core.file.Sources} for the
 * batch-index slice used in migration.
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.file;
