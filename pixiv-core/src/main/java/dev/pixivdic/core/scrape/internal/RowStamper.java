package dev.pixivdic.core.scrape.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.internal.RowSchema;
import dev.pixivdic.core.internal.ScraperVersion;
import dev.pixivdic.core.parse.ParseResult;
import dev.pixivdic.core.run.internal.Processed;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a parse result into what the run engine stores: the row stamped with the run's id, the
 * time, this software's version and the item's pass-through columns (those not named like a
 * column of the row). Shared by scraping and by
 * replaying archived pages. Immutable and thread-safe.
 */
public final class RowStamper {

  /** The pass-through column that has a column of its own in the row. */
  public static final String MIDDLE_CLASS_IP_NAME = "middle_class_ip_name";

  private final String runId;
  private final Clock clock;

  /** Stamps rows with {@code runId} and the time from {@code clock}. */
  public RowStamper(String runId, Clock clock) {
    this.runId = requireNonNull(runId, "runId");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The engine's view of one parsed page of {@code item}. */
  public Processed<ArticleRow> toProcessed(WorkItem item, ParseResult parsed) {
    Set<String> disagreements = new LinkedHashSet<>();
    parsed.disagreements().forEach(d -> disagreements.add(d.column()));
    if (parsed.row().isEmpty()) {
      return new Processed<>(parsed.outcome(), List.of(), Set.of(), parsed.detail(),
          disagreements);
    }
    Map<String, String> pass = new LinkedHashMap<>(item.attributes());
    String ipName = pass.remove(MIDDLE_CLASS_IP_NAME);
    if (ipName == null) {
      // Named in another case (MIDDLE_CLASS_IP_NAME), it is the same column: its value, not
      // left out below with the other columns named like the row's.
      ipName = pass.keySet().stream().filter(MIDDLE_CLASS_IP_NAME::equalsIgnoreCase).findFirst()
          .map(pass::remove).orElse(null);
    }
    // A source column named like a column of the row (a resolution file's status, run_id and
    // scraper_version), in any case, must not repeat that column: BigQuery's column names ignore
    // case, so {"status": ..., "Status": ...} is one column twice. The row's own value wins.
    pass.keySet().removeIf(
        column -> RowSchema.column(column.toLowerCase(java.util.Locale.ROOT)).isPresent());
    ArticleRow row = parsed.row().get().toBuilder()
        .loadedAt(clock.instant())
        .runId(runId)
        .scraperVersion(ScraperVersion.get())
        .middleClassIpName(ipName)
        .passThrough(pass)
        .build();
    return new Processed<>(parsed.outcome(), List.of(row), parsed.provenance().keySet(),
        parsed.detail(), disagreements);
  }
}
