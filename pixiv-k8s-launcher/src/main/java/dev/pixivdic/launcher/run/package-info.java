/**
 * Runs one Job to its end: create or re-attach, watch the Job and its pods, follow every pod's
 * log, decide, summarise, delete, and handle signals. Nulls never cross the API of this package.
 */
package dev.pixivdic.launcher.run;
