package dev.strata.core.snapshot;

import dev.strata.core.internal.io.Failures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Restores archives that {@link IndexHistory#export} wrote: a new index, or a replica brought up to date. */
public final class SnapshotArchives {
  private SnapshotArchives() {}

  /**
   * Restores an archive into {@code dest}: every file is checked against the archive's manifest and
   * the snapshot verified before the directory appears under its name. An existing index at
   * {@code dest} is replaced only with {@code force}, or by an incremental archive whose base it
   * holds. A damaged, truncated or foreign archive leaves {@code dest} as it was.
   */
  public static ArchiveReport importArchive(Path archive, Path dest, boolean force) {
    try {
      SnapshotArchive.ImportResult r = SnapshotArchive.importArchive(archive, dest, force);
      return new ArchiveReport(r.snapshotId(), 0, r.files(), r.bytes(), Files.size(archive));
    } catch (IOException e) {
      throw Failures.of("cannot import " + archive + " into " + dest, e);
    }
  }

  /**
   * Finishes or undoes an import into {@code dest} that a crash interrupted between its renames
   * (the staged copy is complete: it goes in; else the replaced index comes back), and removes
   * what killed imports left beside it. Nothing when no import ever ran there or one runs now.
   * {@code VectorIndex.open} calls it, so no command finds DEST missing after such a crash.
   */
  public static void recoverInterruptedImport(Path dest) {
    ImportDestination.recover(dest);
  }
}
