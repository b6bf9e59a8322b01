/**
 * The Job report: what each shard's {@code pixiv} said in its final line, gathered into one
 * summary of the Job. Nulls never cross the API of this package.
 */
package dev.pixivdic.launcher.report;
