package dev.pixivdic.core.run.internal;

import java.time.Duration;

/**
 * A snapshot of a run in progress, handed to a {@link RunEngine.Listener}.
 *
 * @param read items read from the source so far
 * @param skipped items skipped as already stored
 * @param processed items processed
 * @param failed items that failed
 * @param rowsWritten rows stored so far
 * @param elapsed time since the run started
 * @param inputEnded whether the source has been read to its end
 */
public record Progress(long read, long skipped, long processed, long failed, long rowsWritten,
    Duration elapsed, boolean inputEnded) {}
