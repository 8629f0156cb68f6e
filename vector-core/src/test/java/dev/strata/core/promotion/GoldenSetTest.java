package dev.strata.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.StrataException;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.HashEmbedder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden query sets on real indexes: captured from a trusted snapshot, stored with the index, and
 * the gate that keeps an alias off a candidate that lost the trusted hits.
 */
class GoldenSetTest {
  private static final int DIM = 32;
  private static final int DOCS = 2_000;
  private static final int QUERIES = 100;
  private static final float[][] VECTORS =
      ClusteredVectors.normalizeAll(ClusteredVectors.generate(21, DOCS + QUERIES, DIM, 20));

  @TempDir Path dir;

  @Test
  void storedSetReadsBackExactlyWithAwkwardIdsAndTexts() {
    Path trusted = build("trusted", i -> true);
    List<GoldenQuery> probes = new ArrayList<>(probes());
    probes.set(0, GoldenQuery.probe("q,1:\tweird id", "a text\twith tabs,\nnewlines: and ünïcödé", VECTORS[DOCS]));
    GoldenSet set = capture(trusted, probes, 10, new GoldenTolerance(0.8, 0.02));
    set.write(trusted);

    GoldenSet back = GoldenSet.read(trusted).orElseThrow();
    assertThat(back.k()).isEqualTo(10);
    assertThat(back.tolerance()).isEqualTo(new GoldenTolerance(0.8, 0.02));
    assertThat(back.snapshotId()).isEqualTo(set.snapshotId());
    assertThat(back.capturedAt()).isEqualTo(set.capturedAt());
    assertThat(back.queries()).hasSize(QUERIES);
    for (int i = 0; i < QUERIES; i++) {
      GoldenQuery a = set.queries().get(i);
      GoldenQuery b = back.queries().get(i);
      assertThat(b.id()).isEqualTo(a.id());
      assertThat(b.text()).isEqualTo(a.text());
      assertThat(b.vector()).containsExactly(a.vector());
      assertThat(b.expected()).isEqualTo(a.expected()).hasSize(10);
    }
  }

  @Test
  void theTrustedSnapshotPassesItsOwnSetAndACandidateMissingHalfTheRecordsFails() {
    Path trusted = build("trusted", i -> true);
    GoldenSet set = capture(trusted, probes(), 10, GoldenTolerance.DEFAULT);
    Path sameRecords = build("same", i -> true);
    Path halfLost = build("half", i -> i % 2 == 0);

    GoldenReport self = check(set, trusted);
    assertThat(self.passed()).isTrue();
    assertThat(self.recall()).isEqualTo(1.0);
    assertThat(self.actualTop1()).isEqualTo(self.expectedTop1());
    assertThat(check(set, sameRecords).passed()).isTrue();

    GoldenReport lost = check(set, halfLost);
    System.out.printf("candidate missing half the records: recall@10 %.3f, top-1 %.4f -> %.4f%n",
        lost.recall(), lost.expectedTop1(), lost.actualTop1());
    assertThat(lost.passed()).isFalse();
    assertThat(lost.recall()).isBetween(0.3, 0.7);
    assertThat(lost.problems()).anySatisfy(p -> assertThat(p).startsWith("recall@10 of the golden hits is 0.")
        .endsWith("below the minimum 0.9000"));
    assertThat(lost.worst()).hasSize(10).isSortedAccordingTo(
        java.util.Comparator.comparingDouble(GoldenReport.QueryOutcome::recall));
  }

  @Test
  void anAliasDoesNotMoveToACandidateThatFailsTheGoldenSetUnlessForced() throws IOException {
    Path trusted = build("trusted", i -> true);
    Path alias = dir.resolve("products.alias");
    IndexAlias.set(alias, trusted, null, false);
    capture(trusted, probes(), 10, GoldenTolerance.DEFAULT).write(trusted);
    Path halfLost = build("half", i -> i % 2 == 0);
    String before = Files.readString(alias, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> IndexAlias.set(alias, halfLost, null, false))
        .isInstanceOf(PromotionBlockedException.class)
        .hasMessageContaining("repointing alias " + alias + " blocked")
        .hasMessageContaining("recall@10 of the golden hits");
    assertThat(Files.readString(alias, StandardCharsets.UTF_8)).as("alias file untouched").isEqualTo(before);

    Path good = build("good", i -> true);
    assertThat(IndexAlias.set(alias, good, null, false).index()).isEqualTo(good.toAbsolutePath().normalize());
    assertThat(IndexAlias.set(alias, halfLost, null, true).index()).isEqualTo(halfLost.toAbsolutePath().normalize());
  }

  @Test
  void aCandidateOfAnotherModelIsCheckedByEmbeddingTheGoldenTextsAgain() {
    HashEmbedder modelA = new HashEmbedder(ModelFingerprint.of("model-a", new byte[32]), DIM);
    HashEmbedder modelB = new HashEmbedder(ModelFingerprint.of("model-b", new byte[32]), DIM);
    Path a = buildTexts("a", modelA);
    Path b = buildTexts("b", modelB);
    List<GoldenQuery> probes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String text = "document number " + (i * 7);
      probes.add(GoldenQuery.probe("q" + i, text, modelA.embed(text)));
    }
    GoldenSet set = capture(a, probes, 1, GoldenTolerance.DEFAULT);

    GoldenReport withoutEmbedder = check(set, b);
    assertThat(withoutEmbedder.passed()).isFalse();
    assertThat(withoutEmbedder.problems()).singleElement().asString()
        .contains("is not the golden set's").contains("give the embedder of the candidate's model");

    try (VectorIndex index = VectorIndex.open(b); SnapshotView view = index.history().open(latest(index))) {
      GoldenReport report = GoldenCheck.run(set, view, modelB);
      assertThat(report.reembedded()).isTrue();
      assertThat(report.passed()).isTrue();
      assertThat(report.recall()).isEqualTo(1.0);
    }
  }

  @Test
  void aDamagedGoldenFileIsAnErrorNamingTheFile() throws IOException {
    Path trusted = build("trusted", i -> true);
    capture(trusted, probes(), 10, GoldenTolerance.DEFAULT).write(trusted);
    Path file = trusted.resolve(GoldenSet.FILE);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> GoldenSet.read(trusted)).isInstanceOf(StrataException.class)
        .hasMessage("golden query set " + file + " fails its checksum: it is damaged");
  }

  private Path build(String name, IntPredicate keep) {
    Path path = dir.resolve(name);
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build())) {
      List<Record> records = new ArrayList<>();
      for (int i = 0; i < DOCS; i++) {
        if (keep.test(i)) {
          records.add(Record.of("d" + i, VECTORS[i]));
        }
      }
      index.upsertAll(records);
      index.commit(name);
    }
    return path;
  }

  private Path buildTexts(String name, HashEmbedder embedder) {
    Path path = dir.resolve(name);
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.forEmbedder(embedder).build())) {
      List<TextRecord> records = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        records.add(new TextRecord("d" + i, "document number " + i, Map.of()));
      }
      TextIndex.of(index, embedder).upsertAll(records);
      index.commit(name);
    }
    return path;
  }

  private static List<GoldenQuery> probes() {
    List<GoldenQuery> probes = new ArrayList<>();
    for (int i = 0; i < QUERIES; i++) {
      probes.add(GoldenQuery.probe("q" + i, null, VECTORS[DOCS + i]));
    }
    return probes;
  }

  private static GoldenSet capture(Path index, List<GoldenQuery> probes, int k, GoldenTolerance tolerance) {
    try (VectorIndex trusted = VectorIndex.open(index); SnapshotView view = trusted.history().open(latest(trusted))) {
      return GoldenSet.capture(view, probes, k, tolerance);
    }
  }

  private static GoldenReport check(GoldenSet set, Path candidate) {
    try (VectorIndex index = VectorIndex.open(candidate); SnapshotView view = index.history().open(latest(index))) {
      return GoldenCheck.run(set, view, null);
    }
  }

  private static String latest(VectorIndex index) {
    return Long.toString(index.latestSnapshot().id());
  }
}
