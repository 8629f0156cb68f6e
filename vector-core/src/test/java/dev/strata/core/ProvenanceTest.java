package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.core.serving.LiveMigration;
import dev.strata.core.snapshot.SnapshotArchives;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.testing.HashEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record keeps the snapshot that last wrote it and its source label: returned with hits,
 * usable in filters and deletions, counted per source, and carried through everything that
 * rewrites records (compaction, rebuild, re-embedding, export and import, revert).
 */
class ProvenanceTest {
  private static final ModelFingerprint MODEL = new ModelFingerprint("model-p", "c".repeat(64));
  private static final VectorSource FROM_MODEL = VectorSource.model(MODEL);

  @TempDir Path dir;

  private static IndexSchema schema() {
    return IndexSchema.builder(3, Similarity.EUCLIDEAN).modelFingerprint(MODEL.encoded()).build();
  }

  private static List<Record> batch(String prefix, int n, String source) {
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(new Record(prefix + i, new float[] {i, prefix.length(), 1}, prefix + " text " + i, Map.of("n", i), source));
    }
    return records;
  }

  /** Source and written-in snapshot of every record of the latest snapshot, by id. */
  private static Map<String, String> provenance(VectorIndex index) {
    Map<String, String> byId = new TreeMap<>();
    SearchResult all = index.search(SearchRequest.builder(new float[] {0, 0, 0}).k(1000).exact(true)
        .source(FROM_MODEL).provenance(true).build());
    for (Hit hit : all.hits()) {
      assertThat(hit.provenance().model()).isEqualTo(MODEL.encoded());
      byId.put(hit.id(), hit.provenance().source() + "@" + hit.provenance().writtenIn());
    }
    return byId;
  }

  private static Map<String, String> sources(VectorIndex index) {
    Map<String, String> byId = new TreeMap<>();
    try (SnapshotView view = index.openLatestSnapshot()) {
      view.forEachRecord(r -> byId.put(r.id(), r.source()));
    }
    return byId;
  }

  @Test
  void hitsCarryTheSnapshotThatLastWroteThemAndTheirSourceOnlyWhenAsked() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), schema())) {
      index.upsertAll(batch("good", 5, "upload-1"), FROM_MODEL);
      long first = index.commit("upload 1").id();
      index.upsertAll(batch("bad", 3, "upload-2"), FROM_MODEL);
      index.upsertAll(List.of(new Record("good0", new float[] {9, 9, 9}, "rewritten", Map.of(), "upload-2")), FROM_MODEL);
      long second = index.commit("upload 2").id();

      Map<String, String> seen = provenance(index);
      assertThat(seen).containsEntry("good1", "upload-1@" + first)
          .containsEntry("good0", "upload-2@" + second) // overwritten: the later snapshot and source
          .containsEntry("bad2", "upload-2@" + second).hasSize(8);
      Hit plain = index.search(SearchRequest.builder(new float[] {0, 0, 0}).k(1).source(FROM_MODEL).build()).hits().get(0);
      assertThat(plain.provenance()).isNull();
      assertThat(index.get("bad1")).get().extracting(Record::source).isEqualTo("upload-2");
    }
  }

  @Test
  void filtersCountsAndDeletionBySource() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), schema())) {
      index.upsertAll(batch("good", 6, "upload-1"), FROM_MODEL);
      index.upsertAll(batch("plain", 2, null), FROM_MODEL);
      long first = index.commit("one").id();
      index.upsertAll(batch("bad", 4, "upload-2"), FROM_MODEL);
      index.commit("two");

      SearchRequest.Builder query = SearchRequest.builder(new float[] {0, 0, 0}).k(100).source(FROM_MODEL);
      assertThat(index.search(query.filter(MetadataFilter.source("upload-2")).build()).hits())
          .extracting(Hit::id).containsExactlyInAnyOrder("bad0", "bad1", "bad2", "bad3");
      assertThat(index.search(query.filter(MetadataFilter.writtenIn(first + 1, Long.MAX_VALUE)).build()).hits())
          .hasSize(4);
      assertThat(index.search(query.filter(MetadataFilter.and(MetadataFilter.writtenIn(0, first),
          MetadataFilter.not(MetadataFilter.source("upload-1")))).build()).hits())
          .extracting(Hit::id).containsExactlyInAnyOrder("plain0", "plain1");
      try (SnapshotView view = index.openLatestSnapshot()) {
        assertThat(view.recordsPerSource()).containsExactly(Map.entry("upload-1", 6L), Map.entry("upload-2", 4L),
            Map.entry("", 2L));
      }

      index.deleteWhere(MetadataFilter.source("upload-2"));
      SnapshotInfo after = index.commit("delete upload-2");
      assertThat(after.liveCount()).isEqualTo(8);
      assertThat(sources(index).values()).doesNotContain("upload-2");
    }
  }

  @Test
  void anInvalidSourceLabelIsRefusedByName() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), schema())) {
      for (String bad : List.of(" ", "tab\there", "x".repeat(257))) {
        assertThatThrownBy(() -> index.upsertAll(batch("r", 1, bad), FROM_MODEL))
            .isInstanceOfSatisfying(RecordValidationException.class,
                e -> assertThat(e.rule()).isEqualTo(ValidationRule.SOURCE_INVALID))
            .hasMessageContaining("source label");
      }
      assertThat(index.counters().recordsUpserted()).isZero();
    }
  }

  @Test
  void sourcesSurviveCompactionRebuildReembeddingAndExportImport() throws Exception {
    Path path = dir.resolve("idx");
    Map<String, String> expected;
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(3, Similarity.EUCLIDEAN).build(),
        IndexOptions.builder().backgroundMerges(false).build())) {
      for (int round = 0; round < 4; round++) {
        index.upsertAll(batch("r" + round + "-", 20, round % 2 == 0 ? "even-" + round : null));
        index.deleteAll(List.of("r" + round + "-0"));
        index.commit("round " + round);
      }
      expected = sources(index);
      new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build());
      assertThat(index.stats().segments()).isEqualTo(1);
      assertThat(sources(index)).isEqualTo(expected);
      index.history().export(Long.toString(index.latestSnapshot().id()), null, dir.resolve("idx.tar"));
    }
    assertThat(expected.values()).contains("even-0", "even-2", null);

    IndexRebuilder.copy(path, dir.resolve("copy"), s -> s, IndexRebuilder.Progress.NONE);
    try (VectorIndex copy = VectorIndex.open(dir.resolve("copy"))) {
      assertThat(sources(copy)).isEqualTo(expected);
    }
    try (HashEmbedder embedder = new HashEmbedder(MODEL, 8)) {
      IndexRebuilder.reembed(path, dir.resolve("reembedded"), embedder, s -> s, IndexRebuilder.Progress.NONE);
    }
    try (VectorIndex reembedded = VectorIndex.open(dir.resolve("reembedded"))) {
      assertThat(sources(reembedded)).isEqualTo(expected);
    }
    SnapshotArchives.importArchive(dir.resolve("idx.tar"), dir.resolve("imported"), false);
    try (VectorIndex imported = VectorIndex.open(dir.resolve("imported"))) {
      assertThat(sources(imported)).isEqualTo(expected);
      assertThat(imported.history().verify(Long.toString(imported.latestSnapshot().id())).sound())
          .as("the record digest, which covers the labels, still verifies").isTrue();
    }
  }

  @Test
  void aLiveMigrationCarriesSourcesAndCatchesUpARelabelledRecord() {
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("live.alias");
    try (VectorIndex index = VectorIndex.create(blue, IndexSchema.builder(3, Similarity.EUCLIDEAN).build())) {
      index.upsertAll(batch("a", 30, "feed-a"));
      index.upsertAll(batch("b", 30, null));
      index.commit("two feeds");
    }
    IndexAlias.set(alias, blue, null, false);
    LiveMigration.migrate(alias, dir.resolve("green"), null, s -> s, LiveMigration.Options.DEFAULTS,
        IndexRebuilder.Progress.NONE, () -> {
          try (VectorIndex writer = VectorIndex.open(blue)) { // after the bulk pass: only the catch-up sees it
            writer.upsertAll(List.of(new Record("b7", new float[] {7, 1, 1}, "b text 7", Map.of("n", 7), "feed-b")));
            writer.commit("relabel b7");
          }
        });
    Map<String, String> expected;
    try (VectorIndex source = VectorIndex.open(blue)) {
      expected = sources(source);
    }
    assertThat(expected).containsEntry("b7", "feed-b").containsEntry("a3", "feed-a").containsEntry("b3", null);
    try (VectorIndex green = VectorIndex.open(dir.resolve("green"))) {
      assertThat(sources(green)).isEqualTo(expected);
    }
  }

  @Test
  void aRevertBringsBackTheOverwrittenRecordWithItsOwnSource() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), schema())) {
      index.upsertAll(batch("doc", 4, "trusted"), FROM_MODEL);
      index.commit("trusted");
      index.upsertAll(batch("doc", 2, "fraudulent"), FROM_MODEL); // overwrites doc0 and doc1
      index.upsertAll(batch("extra", 2, "fraudulent"), FROM_MODEL);
      long bad = index.commit("the bad upload").id();
      index.upsertAll(batch("later", 3, "trusted"), FROM_MODEL);
      index.commit("a good write after it");

      index.history().revert(Long.toString(bad), false, true);

      Map<String, String> after = sources(index);
      assertThat(after).doesNotContainValue("fraudulent").containsEntry("doc0", "trusted")
          .containsKeys("later0", "later1", "later2").doesNotContainKeys("extra0", "extra1");
      long revert = index.latestSnapshot().id();
      assertThat(provenance(index)).containsEntry("doc0", "trusted@" + revert);
    }
  }
}
