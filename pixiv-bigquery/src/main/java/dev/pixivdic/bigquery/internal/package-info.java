/**
 * What the BigQuery module computes without calling BigQuery: SQL fragments ({@link
 * dev.pixivdic.bigquery.internal.Sql}), job-id hashes, and a {@link
 * dev.pixivdic.bigquery.internal.RowCodec} per row type. It depends on no other package of the
 * module (the package-private machinery that calls BigQuery lives in {@code
 * dev.pixivdic.bigquery}, beside the public types). Nothing outside this module may import it.
 */
package dev.pixivdic.bigquery.internal;
