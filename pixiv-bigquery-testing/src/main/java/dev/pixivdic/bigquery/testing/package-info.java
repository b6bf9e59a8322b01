/**
 * For tests only: {@link dev.pixivdic.bigquery.testing.BigQueryStandIn}, a BigQuery REST
 * endpoint on loopback that answers from the tables it holds, evaluating SQL with ZetaSQL
 * ({@link dev.pixivdic.bigquery.testing.BigQuerySql}); and
 * {@link dev.pixivdic.bigquery.testing.FaultProxy}, which injects faults in front of it.
 *
 * <p>Null-safety: parameters and return values are non-null; row values may be null (a NULL
 * cell); absent values are {@link java.util.Optional}.
 */
package dev.pixivdic.bigquery.testing;
