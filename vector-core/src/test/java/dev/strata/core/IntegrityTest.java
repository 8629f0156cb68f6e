package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.records.MetadataTypes;
import dev.strata.core.snapshot.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoDeletionPolicy;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Record digests and verify: proof that a copy holds the same records, and that none is damaged. */
class IntegrityTest {
  @TempDir Path dir;

  private static List<Record> records(int n) {
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Record("r" + i, new float[] {1, i, i % 7}, "text " + i, Map.of("n", i, "tag", "t" + (i % 3))));
    }
    return out;
  }

  private static IndexSchema schema() {
    return IndexSchema.builder(3, Similarity.EUCLIDEAN).build();
  }

  @Test
  void aCommitAfterARollbackDigestsTheRecordsItHolds() {
    // The digest cache is keyed by segment name and deletion generation; a rollback makes the
    // writer hand out generations again, so a stale sum from the abandoned branch must not count.
    try (VectorIndex index = VectorIndex.create(dir.resolve("rolled"), schema())) {
      index.upsertAll(records(50));
      index.commit("all");
      index.delete("r1");
      String afterFirstDelete = index.commit("without r1").id() + "";
      index.delete("r2");
      index.commit("without r1, r2");
      index.history().rollbackTo(afterFirstDelete);
      index.delete("r3"); // same segment, same number of deletions as the abandoned snapshot
      SnapshotInfo committed = index.commit("without r1, r3");
      for (VerificationReport report : index.history().verifyAll()) {
        assertThat(report.sound()).as("snapshot " + report.snapshotId() + ": " + report.checks()).isTrue();
      }
      assertThat(committed.liveCount()).isEqualTo(48);
    }
  }

  @Test
  void theDigestDependsOnTheRecordsNotOnOrderOrSegments() {
    List<Record> records = records(200);
    String inOrder;
    try (VectorIndex index = VectorIndex.create(dir.resolve("a"), schema())) {
      index.upsertAll(records);
      inOrder = index.commit("one batch").recordDigest();
    }
    List<Record> shuffled = new ArrayList<>(records);
    Collections.shuffle(shuffled, new Random(1));
    try (VectorIndex index = VectorIndex.create(dir.resolve("b"), schema())) {
      for (int i = 0; i < shuffled.size(); i += 50) {
        index.upsertAll(shuffled.subList(i, i + 50));
        index.commit("batch " + i); // four segments instead of one
      }
      index.upsert(Record.of("extra", new float[] {9, 9, 9}));
      String withExtra = index.commit("extra").recordDigest();
      assertThat(withExtra).isNotEqualTo(inOrder);
      index.delete("extra");
      assertThat(index.commit("without extra").recordDigest()).isEqualTo(inOrder);
      index.upsert(new Record("r5", new float[] {1, 5, 5}, "text 5", Map.of("n", 5, "tag", "t2")));
      assertThat(index.commit("r5 rewritten as it was").recordDigest()).isEqualTo(inOrder);
      index.upsert(new Record("r5", new float[] {1, 5, 5}, "text 5!", Map.of("n", 5, "tag", "t2")));
      assertThat(index.commit("r5 changed").recordDigest()).isNotEqualTo(inOrder);
      assertThat(index.history().rollbackTo("7").recordDigest()).isEqualTo(inOrder);
    }
  }

  @Test
  void aHealthyIndexVerifiesSoundInEverySnapshot() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), schema())) {
      index.upsertAll(records(100));
      index.commit("a");
      index.deleteAll(List.of("r1", "r2"));
      index.commit("b");
      List<VerificationReport> reports = index.history().verifyAll();
      assertThat(reports).hasSize(3).allSatisfy(r -> assertThat(r.sound()).as(r.toString()).isTrue());
      assertThat(reports.get(2).checks()).extracting(VerificationReport.Check::name)
          .containsExactly("open", "checksums", "structure", "liveCount", "hashes", "recordDigest");
    }
  }

  @Test
  void aFlippedByteInASegmentFileIsFoundAndNamed() throws Exception {
    Path path = dir.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, schema())) {
      index.upsertAll(records(300));
      index.commit("data");
    }
    Path victim; // the largest data file (small segments are packed into one compound .cfs file)
    try (var files = Files.list(path)) {
      victim = files
          .filter(p -> !p.getFileName().toString().startsWith("segments") && !p.getFileName().toString().endsWith(".lock"))
          .max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(victim);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(victim, bytes);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> VectorIndex.open(path, IndexOptions.builder().readOnly(true).build()))
        .as("the checksum check before serving refuses it").isInstanceOf(dev.strata.core.IndexDamagedException.class)
        .hasMessageContaining(victim.getFileName().toString());
    try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().readOnly(true).checksumOnOpen(false).build())) {
      VerificationReport report = index.history().verify("2");
      assertThat(report.sound()).isFalse();
      VerificationReport.Check failed = report.checks().stream().filter(c -> !c.passed()).findFirst().orElseThrow();
      assertThat(failed.detail()).contains(victim.getFileName().toString());
    }
  }

  @Test
  void aManifestWhoseCountsLieIsCaught() throws Exception {
    Path path = dir.resolve("idx");
    SnapshotInfo honest;
    try (VectorIndex index = VectorIndex.create(path, schema())) {
      index.upsertAll(records(20));
      honest = index.commit("honest");
    }
    // Write a commit on top whose manifest claims five more records than the index holds.
    try (FSDirectory directory = FSDirectory.open(path);
        IndexWriter raw = new IndexWriter(directory, new IndexWriterConfig().setIndexDeletionPolicy(NoDeletionPolicy.INSTANCE))) {
      SnapshotInfo lie = new SnapshotInfo(3, 2, honest.createdAt(), 25, "lying", honest.recordDigest(), null);
      raw.setLiveCommitData(CommitData.encode(schema(), lie, MetadataTypes.EMPTY).entrySet());
      raw.commit();
    }
    try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
      VerificationReport report = index.history().verify("3");
      assertThat(report.sound()).isFalse();
      assertThat(report.checks()).filteredOn(c -> !c.passed()).extracting(VerificationReport.Check::name).containsExactly("liveCount");
      assertThat(report.checks().get(3).detail()).isEqualTo("manifest 25, index 20");
      assertThat(index.history().verify("2").sound()).isTrue();
    }
  }
}
