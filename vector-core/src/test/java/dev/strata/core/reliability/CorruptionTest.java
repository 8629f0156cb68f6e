package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.IndexRecovery;
import dev.strata.core.snapshot.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damage to the newest snapshot's own segment files (a flipped byte, a truncation, a deleted file):
 * opening and verifying must name the file and the failed check, verification must tell the
 * intact snapshots from the damaged one, and a rollback to an older snapshot that does not share
 * the file must bring the index back, with its records.
 */
class CorruptionTest {
  enum Damage { FLIPPED_BYTE, TRUNCATED, DELETED }

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Damage.class)
  void damageToTheNewestSegmentIsNamedAndAnOlderSnapshotRestoresTheIndex(Damage damage) throws Exception {
    Path path = dir.resolve("idx");
    Set<String> olderFiles = new HashSet<>();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(4, Similarity.EUCLIDEAN).build(),
        IndexOptions.builder().backgroundMerges(false).build())) {
      index.upsertAll(records(0, 500));
      index.commit("older");
      olderFiles.addAll(files(path));
      index.upsertAll(records(500, 1_000));
      index.commit("newest");
    }
    Path victim = files(path).stream().filter(f -> !olderFiles.contains(f) && !f.startsWith("segments"))
        .map(path::resolve).max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    damage(victim, damage);
    String file = victim.getFileName().toString();

    assertThatThrownBy(() -> VectorIndex.open(path)).as("every damage is found before a search is served, a flipped"
            + " byte by the checksum check on open").isInstanceOf(IndexDamagedException.class)
        .hasMessageContaining(file).hasMessageContaining("damaged").hasMessageContaining("roll back");

    List<VerificationReport> reports = IndexRecovery.verifyAll(path);
    System.out.printf("%s %s: snapshots sound %s%n", damage, file,
        reports.stream().map(r -> r.snapshotId() + "=" + r.sound()).toList());
    assertThat(reports).extracting(VerificationReport::snapshotId).containsExactly(1L, 2L, 3L);
    assertThat(reports.get(0).sound()).isTrue();
    assertThat(reports.get(1).sound()).as("the older snapshot does not use %s", file).isTrue();
    VerificationReport newest = reports.get(2);
    assertThat(newest.sound()).isFalse();
    assertThat(newest.checks()).filteredOn(c -> !c.passed()).first().satisfies(c -> assertThat(c.detail()).contains(file));

    IndexRecovery.rollback(path, "2");
    try (VectorIndex index = VectorIndex.open(path)) {
      assertThat(index.stats().docs()).isEqualTo(500);
      assertThat(index.latestSnapshot().message()).startsWith("recovery: rollback to snapshot 2");
      assertThat(index.history().verify(Long.toString(index.latestSnapshot().id())).sound()).isTrue();
      index.upsertAll(records(500, 1_000));
      assertThat(index.commit("re-ingested").liveCount()).isEqualTo(1_000);
    }
  }

  private static void damage(Path file, Damage damage) throws IOException {
    switch (damage) {
      case FLIPPED_BYTE -> {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
      }
      case TRUNCATED -> {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      }
      case DELETED -> Files.delete(file);
    }
  }

  private static Set<String> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return new HashSet<>(list.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).toList());
    }
  }

  private static List<Record> records(int from, int to) {
    List<Record> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(Record.of("r" + i, new float[] {i, i % 7, i % 13, 1}));
    }
    return records;
  }
}
