package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotWriter;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every snapshot's manifest says who made it: host, user, process and Strata version. */
class SnapshotWriterTest {
  @TempDir Path dir;

  @Test
  void everySnapshotRecordsTheProcessThatMadeIt() throws Exception {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("one");
      List<SnapshotSummary> snapshots = index.history().list();
      assertThat(snapshots).hasSize(2); // the empty first commit and "one"
      for (SnapshotSummary s : snapshots) {
        SnapshotWriter writer = s.writer();
        assertThat(writer).as("snapshot %d", s.info().id()).isNotNull();
        assertThat(writer.process()).isEqualTo(ProcessHandle.current().pid());
        assertThat(writer.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(writer.host()).isNotBlank().isNotEqualTo("unknown");
        // Maven filters the version in; never the placeholder itself.
        assertThat(writer.strataVersion()).isNotBlank().doesNotContain("${");
      }
    }
  }
}
