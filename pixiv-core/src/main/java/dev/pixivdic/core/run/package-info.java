/**
 * What a run reports: {@link dev.pixivdic.core.run.RunReport} and why it stopped
 * ({@link dev.pixivdic.core.run.StopReason}).
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.run;
