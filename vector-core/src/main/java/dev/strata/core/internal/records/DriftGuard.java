package dev.strata.core.internal.records;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.VectorSource;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses vectors from a model other than the one an index was built with. The index and {@link
 * dev.strata.core.index.TextIndex} call it on every write and search.
 */
public final class DriftGuard {
  private static final System.Logger LOG = System.getLogger(DriftGuard.class.getName());

  private final Path index;
  private final String indexFingerprint; // null: the index does not know its model
  private final Set<String> loggedOptOuts = ConcurrentHashMap.newKeySet();

  public DriftGuard(Path index, String indexFingerprint) {
    this.index = index;
    this.indexFingerprint = indexFingerprint;
  }

  public void check(VectorSource source, String what) {
    if (indexFingerprint == null) {
      return;
    }
    switch (source) {
      case VectorSource.Unstated u -> throw new EmbeddingDriftException(index, indexFingerprint, null, what);
      case VectorSource.Model m -> check(m.fingerprint(), what);
      case VectorSource.Unchecked u -> {
        if (loggedOptOuts.add(what + "\u0000" + u.reason())) {
          LOG.log(
              System.Logger.Level.WARNING,
              "drift guard skipped for {0} on index {1} (built with {2}): {3}",
              what, index, indexFingerprint, u.reason());
        }
      }
    }
  }

  public void check(ModelFingerprint caller, String what) {
    if (indexFingerprint != null && !matches(caller)) {
      throw new EmbeddingDriftException(index, indexFingerprint, caller.encoded(), what);
    }
  }

  public boolean matches(ModelFingerprint caller) {
    return indexFingerprint == null || caller.matchesRecorded(indexFingerprint);
  }
}
