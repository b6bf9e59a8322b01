/**
 * Implementation of the BigQuery module: job ids, retries, schemas. Nothing outside this module
 * may import it.
 */
package dev.pixivdic.bigquery.internal;
