package dev.strata.core.serving;

import dev.strata.core.StrataException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A live migration that stopped before raising its write fence: its catch-up rounds did not keep
 * up with the source's writers, and the last one took longer than half the time the fence may
 * stand. The final catch-up, under the fence, would have had as much to copy, so it would have
 * held every writer for the fence's whole lease and then lost the fence anyway. Nothing was fenced
 * and the alias was not moved; the target holds a partial copy, to be removed before the next try
 * (when writes are slower, with more rounds, or with a longer fence timeout).
 */
public final class CatchUpTooSlowException extends StrataException {
  /** The migration of {@code source} into {@code target} gave up after {@code rounds} rounds. */
  public CatchUpTooSlowException(Path source, Path target, int rounds, long lastRoundRecords, Duration lastRound,
      Duration fenceTimeout) {
    super("live migration of index " + source + " stopped before fencing its writers: after " + rounds
        + " catch-up round" + (rounds == 1 ? "" : "s") + " the last still had " + lastRoundRecords + " records to copy and took "
        + lastRound.toMillis() + " ms, more than half the fence timeout of " + fenceTimeout.toMillis() + " ms, so the"
        + " final catch-up under the fence would not finish in time. The alias was not moved; remove " + target
        + " and run again when writes are slower, with more catch-up rounds, or with a longer fence timeout");
  }
}
