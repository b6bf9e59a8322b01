package dev.pixivdic.cli;

import dev.pixivdic.bigquery.internal.Hashes;

/**
 * A class of the command that uses an internal class of pixiv-bigquery, which only pixiv-bigquery
 * may: for InternalPackagesTest (the command may use core's internal packages, not these).
 */
final class ReachesIntoBigQuery {
  String jobId() {
    return Hashes.of("job", new byte[0]);
  }
}
