package dev.pixivdic.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.resolve.internal.NameCleaner;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the resolution table ({@code pixiv_search_middle_class_ip_name_url}): a name and
 * an article found for it, or a name with no match. A name with several exact matches has one
 * row per article. Field names in JSON are the original table's (see {@link ResolutionJson}).
 *
 * @param middleClassIpName the name as read from the names source; the row's key
 * @param cleanMiddleClassIpName the name after {@link NameCleaner#clean}
 * @param url the canonical article URL when {@code status} is {@link Status#MATCHED}, else null
 * @param pixivSearchResultIp the matched hit's title as the site shows it, else null
 * @param searchHitNum the total hits the search announced, null when it showed none
 * @param update when the row was made (the original's {@code update} column)
 * @param status whether an article was found
 * @param pagesSearched how many result pages were read
 * @param runId the run that made the row
 * @param scraperVersion the version of this software
 * @param passThrough further columns of the names source, in source order; copied
 */
public record ResolutionRow(
    String middleClassIpName,
    String cleanMiddleClassIpName,
    String url,
    String pixivSearchResultIp,
    Long searchHitNum,
    Instant update,
    Status status,
    int pagesSearched,
    String runId,
    String scraperVersion,
    Map<String, String> passThrough) {

  /** Whether a name resolved. */
  public enum Status {
    /** A hit's title is the name (see {@link NameCleaner#matches}). */
    MATCHED,
    /** No hit on the pages searched is the name; zero hits included. */
    NO_MATCH
  }

  public ResolutionRow {
    requireNonNull(middleClassIpName, "middleClassIpName");
    requireNonNull(cleanMiddleClassIpName, "cleanMiddleClassIpName");
    requireNonNull(update, "update");
    requireNonNull(status, "status");
    requireNonNull(runId, "runId");
    requireNonNull(scraperVersion, "scraperVersion");
    passThrough = Collections.unmodifiableMap(
        new LinkedHashMap<>(requireNonNull(passThrough, "passThrough")));
    if ((status == Status.MATCHED) != (url != null)) {
      throw new IllegalArgumentException("a " + status + " row "
          + (url == null ? "needs" : "has no") + " url, was " + url);
    }
    if (pagesSearched < 0) {
      throw new IllegalArgumentException("pagesSearched must be >= 0, was " + pagesSearched);
    }
  }
}
