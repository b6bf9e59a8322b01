package dev.pixivdic.launcher.manifest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Job specs for tests. */
public final class Specs {
  private Specs() {}

  public static JobSpec simple(String name, int shards, int parallelism) {
    return new JobSpec(
        name,
        Optional.of("batch"),
        Optional.empty(),
        "ghcr.io/pixivdic/pixiv:1.0",
        "IfNotPresent",
        shards,
        parallelism,
        new BigDecimal("1"),
        0,
        Duration.ofHours(6),
        Duration.ofHours(1),
        "500m",
        "1Gi",
        Map.of(),
        List.of(),
        Map.of(),
        Map.of(),
        true,
        List.of("--source", "bigquery"));
  }

  public static JobSpec full() {
    return new JobSpec(
        "pixiv-scraping-0f8fad5b-d9cb-469f-a165-70867728950e",
        Optional.of("batch"),
        Optional.of("scraper"),
        "ghcr.io/pixivdic/pixiv@sha256:" + "a".repeat(64),
        "Always",
        8,
        3,
        new BigDecimal("2"),
        2,
        Duration.ofMinutes(90),
        Duration.ofMinutes(30),
        "1",
        "2Gi",
        Map.of("TZ", "Asia/Tokyo"),
        List.of("pixiv-secrets"),
        Map.of("team", "data"),
        Map.of("cloud.google.com/gke-nodepool", "batch"),
        false,
        List.of("--source", "bq:myproj.d.src", "--sink", "bq:myproj.d.dst", "--location",
            "asia-northeast1"));
  }
}
