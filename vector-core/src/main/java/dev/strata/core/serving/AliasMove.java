package dev.strata.core.serving;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A change of an alias file, its parts set by name instead of by position:
 * {@code AliasMove.of(alias).to(green).snapshot("v2").apply()}, or with {@code .ifStill(read,
 * Duration.ofSeconds(5))} a compare-and-set; {@link #apply} makes it ({@link IndexAlias#set} or
 * {@link IndexAlias#compareAndSet}).
 */
public final class AliasMove {
  private final Path aliasFile;
  private Path index;
  private String snapshot;
  private boolean force;
  private IndexAlias expected;
  private java.time.Duration lockWait;

  private AliasMove(Path aliasFile) {
    this.aliasFile = aliasFile;
  }

  /** A change of {@code aliasFile}, to be described. */
  public static AliasMove of(Path aliasFile) {
    return new AliasMove(Objects.requireNonNull(aliasFile, "aliasFile"));
  }

  /** The index directory the alias will name (required). */
  public AliasMove to(Path index) {
    this.index = Objects.requireNonNull(index, "index");
    return this;
  }

  /** Pins the alias to this snapshot (an id or a tag) instead of following the latest commit. */
  public AliasMove snapshot(String idOrTag) {
    this.snapshot = idOrTag;
    return this;
  }

  /** Moves even to another dimension, similarity or model, or past a failing golden set (see {@link IndexAlias#set}). */
  public AliasMove force(boolean force) {
    this.force = force;
    return this;
  }

  /**
   * Moves only if the alias is still {@code expected}, waiting at most {@code lockWait} for
   * another process's change to finish; otherwise {@link AliasChangedException}.
   */
  public AliasMove ifStill(IndexAlias expected, java.time.Duration lockWait) {
    this.expected = Objects.requireNonNull(expected, "expected");
    this.lockWait = Objects.requireNonNull(lockWait, "lockWait");
    return this;
  }

  /** Makes the change and returns the alias as written. */
  public IndexAlias apply() {
    if (index == null) {
      throw new IllegalStateException("say where alias " + aliasFile + " moves: AliasMove.of(alias).to(indexDirectory)");
    }
    return expected == null
        ? IndexAlias.set(aliasFile, index, snapshot, force)
        : IndexAlias.compareAndSet(aliasFile, expected, index, snapshot, force, lockWait);
  }
}
