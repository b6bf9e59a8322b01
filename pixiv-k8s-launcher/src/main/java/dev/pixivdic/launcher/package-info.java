/**
 * The {@code pixiv-launch} command: {@code manifest} prints the Job, {@code run} creates it,
 * follows it and exits with its outcome ({@link dev.pixivdic.launcher.run.ExitCodes}). Nulls never
 * cross the API of this package.
 */
package dev.pixivdic.launcher;
