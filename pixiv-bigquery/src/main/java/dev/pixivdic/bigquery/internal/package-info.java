/**
 * Implementation of the BigQuery module: job ids, retries, schemas, the load-job {@link
 * dev.pixivdic.bigquery.internal.Loader} shared by the sinks over a {@link
 * dev.pixivdic.bigquery.internal.RowCodec} per row type. Nothing outside this module
 * may import it.
 */
package dev.pixivdic.bigquery.internal;
