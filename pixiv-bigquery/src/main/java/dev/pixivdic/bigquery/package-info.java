/**
 * BigQuery source and sink for the pixiv encyclopedia batch: {@link
 * dev.pixivdic.bigquery.BigQuerySource}, {@link dev.pixivdic.bigquery.BigQuerySink}, for
 * {@code pixiv resolve} {@link dev.pixivdic.bigquery.BigQueryNameSource} and {@link
 * dev.pixivdic.bigquery.BigQueryResolutionSink}, the run
 * ledger ({@link dev.pixivdic.bigquery.RunLedger}) and the connection they share ({@link
 * dev.pixivdic.bigquery.BigQueryConnection}). Failures are {@link
 * dev.pixivdic.bigquery.BigQueryUnavailableException} (transient, retries exhausted) or {@link
 * dev.pixivdic.bigquery.BigQueryRejectedException} (refused for good).
 *
 * <p>Null-safety: parameters and return values are non-null; absent values are
 * {@link java.util.Optional}.
 */
package dev.pixivdic.bigquery;
