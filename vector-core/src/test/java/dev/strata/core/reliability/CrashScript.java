package dev.strata.core.reliability;

import dev.strata.core.Record;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The seeded sequence of operations a crashing child runs, and the records each of its snapshots
 * must hold. Child and parent build the same script from the same seed: the child executes it
 * until killed, the parent replays it to know what every snapshot id it finds should contain.
 * Every operation ends in exactly one commit, so operation i makes snapshot i + 2 (snapshot 1 is
 * the empty index the child creates).
 */
final class CrashScript {
  static final int DIM = 8;
  private static final int ID_POOL = 3_000;

  enum Kind { BATCH, COMPACT, ROLLBACK }

  /** One operation: a batch of upserts and deletes, a compaction, or a rollback to a snapshot. */
  record Op(Kind kind, List<Record> upserts, List<String> deletes, long rollbackTo) {}

  private final long seed;
  private final String mode;

  CrashScript(long seed, String mode) {
    if (!List.of("ingest", "compact", "rollback").contains(mode)) {
      throw new IllegalArgumentException("unknown mode " + mode);
    }
    this.seed = seed;
    this.mode = mode;
  }

  Op op(int i) {
    if (i > 0 && mode.equals("compact") && i % 3 == 2) {
      return new Op(Kind.COMPACT, List.of(), List.of(), 0);
    }
    if (i > 2 && mode.equals("rollback") && i % 4 == 3) {
      return new Op(Kind.ROLLBACK, List.of(), List.of(), snapshotOf(i) - 2);
    }
    Random random = new Random(seed * 1_000_003L + i);
    int upserts = i == 0 ? 2_000 : 40;
    List<Record> records = new ArrayList<>();
    for (int n = 0; n < upserts; n++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
      records.add(Record.of("r" + random.nextInt(ID_POOL), v, "op " + i));
    }
    List<String> deletes = new ArrayList<>();
    for (int n = 0; i > 0 && n < 5; n++) {
      deletes.add("r" + random.nextInt(ID_POOL));
    }
    return new Op(Kind.BATCH, records, deletes, 0);
  }

  /** The snapshot id operation {@code i} commits. */
  static long snapshotOf(int op) {
    return op + 2L;
  }

  /** Snapshot id to the records (id to vector) it holds, for snapshots 1 to {@code maxSnapshot}. */
  Map<Long, Map<String, float[]>> expectedStates(long maxSnapshot) {
    Map<Long, Map<String, float[]>> states = new HashMap<>();
    states.put(1L, Map.of());
    for (int i = 0; snapshotOf(i) <= maxSnapshot; i++) {
      Op op = op(i);
      Map<String, float[]> state = new HashMap<>(states.get(snapshotOf(i) - 1));
      switch (op.kind()) {
        case BATCH -> {
          // Upserts then deletes, in the order the child buffers them; a later upsert of an id wins.
          op.upserts().forEach(r -> state.put(r.id(), r.vector()));
          op.deletes().forEach(state::remove);
        }
        case COMPACT -> { }
        case ROLLBACK -> {
          state.clear();
          state.putAll(states.get(op.rollbackTo()));
        }
      }
      states.put(snapshotOf(i), state);
    }
    return states;
  }
}
