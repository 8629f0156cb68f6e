package dev.strata.core.live;

import dev.strata.core.index.VectorIndex;
import java.util.function.Consumer;

/**
 * One buffered write of a {@link LiveIndex}, kept until committed so it can be replayed on a
 * migration's target.
 */
interface Write {
  void applyTo(VectorIndex index);

  /** How many records it counts for under {@link CommitPolicy#everyRecords}. */
  int records();

  static Write of(int records, Consumer<VectorIndex> apply) {
    return new Write() {
      @Override
      public void applyTo(VectorIndex index) {
        apply.accept(index);
      }

      @Override
      public int records() {
        return records;
      }
    };
  }
}
