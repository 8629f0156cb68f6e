package dev.strata.core.reliability;

import dev.strata.core.IndexSchema;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.snapshot.SnapshotArchives;
import java.nio.file.Path;

/**
 * The process the crash tests kill. {@code ingest|compact|rollback DIR SEED}: creates the index
 * and runs its {@link CrashScript} forever, printing {@code committed ID DIGEST} once each commit
 * has returned. {@code import ARCHIVE DEST}: imports the archive once. Prints {@code ready} first.
 */
public final class CrashingChild {
  private CrashingChild() {}

  public static void main(String[] args) {
    if (args[0].equals("import")) {
      System.out.println("ready");
      System.out.flush();
      SnapshotArchives.importArchive(Path.of(args[1]), Path.of(args[2]), false);
      System.out.println("imported");
      System.out.flush();
      return;
    }
    CrashScript script = new CrashScript(Long.parseLong(args[2]), args[0]);
    try (VectorIndex index = VectorIndex.create(Path.of(args[1]), IndexSchema.builder(CrashScript.DIM, Similarity.EUCLIDEAN).build())) {
      System.out.println("ready");
      System.out.flush();
      Compactor compactor = new Compactor(index);
      CompactionPolicy compaction = CompactionPolicy.builder().expungeDeletes(true).maxSegments(1).build();
      for (int i = 0; ; i++) {
        CrashScript.Op op = script.op(i);
        SnapshotInfo committed = switch (op.kind()) {
          case BATCH -> {
            index.upsertAll(op.upserts());
            index.deleteAll(op.deletes());
            yield index.commit("op " + i);
          }
          case COMPACT -> compactor.compact(compaction).snapshot();
          case ROLLBACK -> index.history().rollbackTo(Long.toString(op.rollbackTo()));
        };
        if (committed.id() != CrashScript.snapshotOf(i)) {
          throw new IllegalStateException("op " + i + " committed snapshot " + committed.id());
        }
        System.out.println("committed " + committed.id() + " " + committed.recordDigest());
        System.out.flush();
      }
    }
  }
}
