/**
 * Builds the {@code batch/v1} Job that runs {@code pixiv scrape} as an Indexed Job, from a
 * {@link dev.pixivdic.launcher.manifest.JobSpec} and optionally a user's template. Pure: no I/O.
 * Nulls never cross the API of this package; absent values are {@code Optional}.
 */
package dev.pixivdic.launcher.manifest;
