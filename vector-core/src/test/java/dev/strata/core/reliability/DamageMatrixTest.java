package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.Hit;
import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.StrataException;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.IndexRecovery;
import dev.strata.core.snapshot.IndexVerification;
import dev.strata.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of an index times every damage (a flipped byte, a truncation, deletion, and a swap
 * with a valid twin from the same index: another file of its kind, its own checksum intact).
 * Each case must be named by {@code verify} or be proven harmless, and no search may answer from
 * damaged bytes: an index that opens at all answers exactly as the undamaged one does.
 */
class DamageMatrixTest {
  enum Damage { FLIP, TRUNCATE, DELETE, SWAP_WITH_TWIN }

  @TempDir Path dir;

  @Test
  void everyFileKindUnderEveryDamageIsNamedOrHarmlessAndNeverServed() throws Exception {
    Path template = dir.resolve("template");
    try (VectorIndex index = VectorIndex.create(template, IndexSchema.builder(8, Similarity.EUCLIDEAN).build(),
        IndexOptions.builder().backgroundMerges(false).build())) {
      index.upsertAll(records(0, 400)); // flushed segments are packed into one compound .cfs each
      index.commit("first");
      index.upsertAll(records(400, 450));
      index.deleteAll(List.of("r3", "r7"));
      index.commit("second");
      index.history().tag("2", "golden");
      index.upsertAll(records(450, 500));
      index.commit("third");
      // A merge into one large segment: too large for a compound file, so each codec file stands alone.
      new dev.strata.core.compaction.Compactor(index)
          .compact(dev.strata.core.compaction.CompactionPolicy.builder().maxSegments(1).prune(false).build());
      index.upsertAll(records(500, 510));
      index.deleteAll(List.of("r11"));
      index.commit("fifth");
    }
    List<String> expected = answers(template);
    List<String> files;
    try (Stream<Path> list = Files.list(template)) {
      files = list.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
    }

    Map<String, int[]> byOutcome = new TreeMap<>(); // named by verify, refused on open, harmless
    List<String> harmless = new ArrayList<>();
    String latest = files.stream().filter(f -> f.startsWith("segments_")).max(Comparator.comparingLong(
        f -> Long.parseLong(f.substring("segments_".length()), Character.MAX_RADIX))).orElseThrow();
    int cases = 0;
    for (String file : files) {
      for (Damage damage : Damage.values()) {
        Path copy = TestFiles.copyIndex(template, dir.resolve("case-" + cases++));
        if (!damage(copy, file, damage)) {
          TestFiles.deleteTree(copy);
          cases--;
          continue; // no twin of this kind
        }
        String what = damage + " " + file;
        IndexVerification verification = IndexRecovery.verifyIndex(copy);
        boolean named = !verification.sound();
        boolean served;
        try (VectorIndex opened = VectorIndex.open(copy, IndexOptions.builder().readOnly(true).build())) {
          served = true;
          assertThat(answersOf(opened)).as(what + ": an index that opens answers as the undamaged one").isEqualTo(expected);
        } catch (IndexDamagedException e) {
          served = false;
        } catch (StrataException e) {
          served = false;
          assertThat(e.getMessage()).as(what).contains(copy.toString());
        }
        assertThat(named || served).as(what + ": neither named by verify nor harmless: " + verification).isTrue();
        int[] counts = byOutcome.computeIfAbsent(kind(file), k -> new int[3]);
        counts[0] += named ? 1 : 0;
        counts[1] += served ? 0 : 1;
        counts[2] += served ? 1 : 0;
        if (!named) {
          // The only damage verify may miss: an old untagged snapshot's commit point deleted (the
          // index is then as if retention had taken that snapshot), and the head record, which
          // only makes the next loss of a latest commit point undetectable until the next commit (and
          // only if its mirror is lost too), and the tag catalog's mirror (the catalog itself is intact).
          boolean oldCommitPointGone = damage == Damage.DELETE && file.startsWith("segments_") && !file.equals(latest);
          assertThat(oldCommitPointGone || file.startsWith("strata-head.") || file.equals("strata-tags.mirror.txt"))
              .as(what + " went unnamed").isTrue();
          harmless.add(what);
        }
        TestFiles.deleteTree(copy);
      }
    }
    System.out.printf("damage matrix: %d files x %d damages = %d cases; per kind [named by verify, refused on"
        + " open, opened and answered exactly as before]:%n", files.size(), Damage.values().length, cases);
    byOutcome.forEach((kind, counts) -> System.out.printf("  %-18s %s%n", kind, java.util.Arrays.toString(counts)));
    System.out.println("  not named by verify, answers unchanged: " + harmless);
    assertThat(cases).isGreaterThan(60);
  }

  private static String kind(String file) {
    if (file.startsWith("segments_")) {
      return "segments_N";
    }
    int dot = file.lastIndexOf('.');
    return file.startsWith("strata-") || dot < 0 ? file : file.substring(dot);
  }

  /** Damages {@code file} in {@code index}; false when the damage does not apply (no twin). */
  private static boolean damage(Path index, String file, Damage damage) throws IOException {
    Path target = index.resolve(file);
    byte[] bytes = Files.readAllBytes(target);
    switch (damage) {
      case FLIP -> {
        bytes[bytes.length / 2] ^= 0x04;
        Files.write(target, bytes);
      }
      case TRUNCATE -> Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      case DELETE -> Files.delete(target);
      case SWAP_WITH_TWIN -> {
        String kind = kind(file);
        try (Stream<Path> list = Files.list(index)) {
          Path twin = list.filter(p -> !p.getFileName().toString().equals(file) && kind(p.getFileName().toString()).equals(kind))
              .findFirst().orElse(null);
          if (twin == null) {
            return false;
          }
          Files.copy(twin, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return true;
  }

  private static List<String> answers(Path index) {
    try (VectorIndex opened = VectorIndex.open(index, IndexOptions.builder().readOnly(true).build())) {
      return answersOf(opened);
    }
  }

  /** Ids, scores and texts of a few searches, plus the live count: what a damaged byte could change. */
  private static List<String> answersOf(VectorIndex index) {
    List<String> out = new ArrayList<>();
    out.add("docs " + index.stats().docs());
    for (int q = 0; q < 5; q++) {
      for (Hit hit : index.search(SearchRequest.builder(vector(q * 97)).k(10).build()).hits()) {
        out.add(hit.id() + " " + hit.score() + " " + hit.text());
      }
    }
    return out;
  }

  private static float[] vector(int i) {
    float[] v = new float[8];
    for (int d = 0; d < 8; d++) {
      v[d] = (float) Math.sin(i * 0.37 + d);
    }
    return v;
  }

  private static List<Record> records(int from, int to) {
    List<Record> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(Record.of("r" + i, vector(i), "text " + i));
    }
    return records;
  }
}
