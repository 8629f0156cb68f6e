package dev.strata.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A commit refused because the index is being migrated to another one behind an alias, or has
 * been: its writes would not reach the alias's readers. Buffered writes stay buffered.
 * {@link #migrating()} says whether the fence is the short one of a migration's final catch-up
 * (retry shortly, or write through a {@code dev.strata.core.live.LiveIndex} on the alias, which
 * waits and follows) or the lasting one of a finished migration (write to {@link #movedTo()}).
 */
public final class WriteFencedException extends StrataException {
  private final Path index;
  private final Path target;
  private final Path alias;
  private final boolean migrating;

  /** A commit to {@code index} refused by the fence of {@code alias}'s migration to {@code target}. */
  public WriteFencedException(Path index, Path alias, Path target, boolean migrating, String detail) {
    super((migrating
            ? "index " + index + " is fenced while its migration to " + target + " (alias " + alias + ") finishes"
            : "index " + index + " was migrated to " + target + " and alias " + alias + " points there now: a"
                + " commit here would not reach the alias's readers; write through the alias, or point it back"
                + " with 'index-admin alias set " + alias + " " + index + "' to write here again")
        + (detail.isEmpty() ? "" : " (" + detail + ")"));
    this.index = index;
    this.alias = alias;
    this.target = target;
    this.migrating = migrating;
  }

  /** The index whose commit was refused. */
  public Path index() {
    return index;
  }

  /** The alias file the migration moves. */
  public Path alias() {
    return alias;
  }

  /** The index the writes now belong in, once the migration has switched the alias. */
  public Optional<Path> movedTo() {
    return migrating ? Optional.empty() : Optional.of(target);
  }

  /** Whether the migration is still finishing (a fence of a second or so) rather than done. */
  public boolean migrating() {
    return migrating;
  }
}
