package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.Similarity;
import dev.strata.core.TextRecord;
import dev.strata.core.WriteFencedException;
import dev.strata.core.index.TextIndex;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.fence.FenceRules;
import dev.strata.core.internal.fence.WriteFence;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.live.LiveIndex;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.testing.HashEmbedder;
import dev.strata.core.testing.ManualScheduler;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live model migration with a writer running through it: nothing acknowledged is lost, the
 * target matches the source at the fence exactly, and writes after the switch land in the target.
 */
class LiveMigrationTest {
  static final ModelFingerprint MODEL_A = new ModelFingerprint("model-a", "a".repeat(64));
  static final ModelFingerprint MODEL_B = new ModelFingerprint("model-b", "b".repeat(64));

  @TempDir Path dir;

  @Test
  void aWriterThroughTheAliasLosesNothingAcrossAReembedAndSwitch() throws Exception {
    Path blue = dir.resolve("blue");
    Path green = dir.resolve("green");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(MODEL_A, 16);
        HashEmbedder b = new HashEmbedder(MODEL_B, 24)) {
      Map<String, String> expected = new HashMap<>(fill(blue, a, 20_000));
      IndexAlias.set(alias, blue, null, false);
      try (LiveIndex live = LiveIndex.openAlias(alias, IndexOptions.DEFAULTS, CommitPolicy.everyCall())
          .embedders(List.of(a, b))) {
        SteadyWriter writer = new SteadyWriter(live, expected, TestSeeds.seed("LiveMigrationTest"));
        writer.start();
        writer.awaitOps(20);
        LiveMigration.Report report = LiveMigration.migrate(alias, green, b, s -> s,
            LiveMigration.Options.builder().smallEnough(20).fenceTimeout(Duration.ofSeconds(30)).build(), IndexRebuilder.Progress.NONE, () -> {});
        Map<String, String> greenAtSwitch = contents(green, Long.toString(report.snapshot().id()));
        long opsAtSwitch = writer.ops();
        writer.awaitOps(opsAtSwitch + 30);
        writer.stop();

        System.out.printf("live re-embed: bulk %d records, %d catch-up rounds, %d records caught up, fence %.3f s, "
                + "%d writer ops (%d after the switch)%n", report.bulkRecords(), report.catchUpRounds(),
            report.recordsCaughtUp(), report.fenced().toNanos() / 1e9, writer.ops(), writer.ops() - opsAtSwitch);
        assertThat(report.recordsCaughtUp()).as("the writer wrote during the bulk pass").isPositive();
        assertThat(report.catchUpRounds()).isGreaterThanOrEqualTo(2);
        assertThat(IndexAlias.read(alias).index()).isEqualTo(green.toAbsolutePath().normalize());
        assertThat(live.moves()).as("the writer followed the alias").isEqualTo(1);
        assertThat(live.index().path().toAbsolutePath().normalize()).isEqualTo(green.toAbsolutePath().normalize());

        // The target at the switch holds exactly the source at the fence.
        assertThat(greenAtSwitch).isEqualTo(contents(blue, Long.toString(report.sourceAtFence().id())));
        // Nothing was committed to the source after the fence; every acknowledged write is in the target.
        try (VectorIndex source = VectorIndex.open(blue, IndexOptions.builder().readOnly(true).build())) {
          assertThat(source.latestSnapshot().id()).isEqualTo(report.sourceAtFence().id());
        }
        Map<String, String> written = live.read(LiveMigrationTest::contents);
        assertThat(written).isEqualTo(writer.expected());
      }
      // A writer that does not follow the alias is refused, loudly, with where the writes belong.
      try (VectorIndex stale = VectorIndex.open(blue)) {
        TextIndex.of(stale, a).upsertAll(List.of(TextRecord.of("late", "a late write")));
        assertThatThrownBy(() -> stale.commit("late")).isInstanceOfSatisfying(WriteFencedException.class, e -> {
          assertThat(e.migrating()).isFalse();
          assertThat(e.movedTo()).contains(green.toAbsolutePath().normalize());
        }).hasMessageContaining("alias set");
      }
    }
  }

  /**
   * Writers that outpace the catch-up: the rounds run out, the last took longer than half the
   * fence may stand, so the migration stops before fencing anyone and leaves the alias alone.
   */
  @Test
  void aCatchUpThatCannotKeepUpStopsBeforeFencingAnyone() throws Exception {
    Path blue = dir.resolve("blue");
    Path green = dir.resolve("green");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(MODEL_A, 16)) {
      fill(blue, a, 3_000);
      IndexAlias.set(alias, blue, null, false);
      try (VectorIndex writer = VectorIndex.open(blue)) {
        TextIndex text = TextIndex.of(writer, a);
        AtomicLong written = new AtomicLong();
        IndexRebuilder.Progress writesDuringTheBulkPass = (done, total) -> {
          text.upsertAll(List.of(TextRecord.of("during-" + written.incrementAndGet(), "written while copying")));
          writer.commit("a write during the bulk pass");
        };
        LiveMigration.Options noTimeToFence = LiveMigration.Options.builder().smallEnough(0).maxRounds(1)
            .fenceTimeout(Duration.ofNanos(2)).build(); // any round takes longer than half of it
        assertThatThrownBy(() -> LiveMigration.migrate(alias, green, null, s -> s, noTimeToFence, writesDuringTheBulkPass,
            () -> {}))
            .isInstanceOf(CatchUpTooSlowException.class)
            .hasMessageContaining("after 1 catch-up round the last still had " + written.get() + " records")
            .hasMessageContaining("remove " + green);
        assertThat(written.get()).isPositive();

        assertThat(IndexAlias.read(alias).index()).isEqualTo(blue.toAbsolutePath().normalize());
        text.upsertAll(List.of(TextRecord.of("after", "no fence was raised")));
        writer.commit("after the migration stopped"); // a raised fence would refuse this
        assertThat(writer.contains("after")).isTrue();
      }
    }
  }

  @Test
  void aFenceHoldsCommitsWhileItsMigrationLivesAndIsBrokenOnlyOnceAbandoned() throws Exception {
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(MODEL_A, 16)) {
      fill(blue, a, 10);
      IndexAlias.set(alias, blue, null, false);
      try (VectorIndex writer = VectorIndex.open(blue)) {
        TextIndex text = TextIndex.of(writer, a);
        WriteFence.Raised fence = WriteFence.raise(blue, alias, dir.resolve("green"), 1, Duration.ofMinutes(5),
            Clock.systemUTC());
        assertThatThrownBy(() -> writer.history().rollbackTo("1")).as("a rollback commits too")
            .isInstanceOf(WriteFencedException.class);
        assertThat(writer.latestSnapshot().liveCount()).isEqualTo(10);
        text.upsertAll(List.of(TextRecord.of("x", "during the fence")));
        assertThatThrownBy(() -> writer.commit("fenced")).isInstanceOfSatisfying(WriteFencedException.class,
            e -> assertThat(e.migrating()).isTrue());
        fence.close(); // the migration gave up before its switch
        assertThat(WriteFence.read(blue).orElseThrow().state()).isEqualTo(FenceRules.State.LIFTED);
        assertThat(writer.commit("after the lift").liveCount()).as("the buffered write survived the refusal").isEqualTo(11);

        // A writer whose clock says the lease lapsed breaks the fence, and the migration cannot switch after that.
        WriteFence.Raised lapsed = WriteFence.raise(blue, alias, dir.resolve("green"), 1, Duration.ofSeconds(30),
            Clock.systemUTC());
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
        try (VectorIndex sameWriterLaterClock = reopenWithClock(writer, blue, later)) {
          TextIndex.of(sameWriterLaterClock, a).upsertAll(List.of(TextRecord.of("y", "after the lease lapsed")));
          assertThat(sameWriterLaterClock.commit("lapsed").liveCount()).isEqualTo(12);
        }
        assertThat(WriteFence.read(blue).orElseThrow().note()).contains("broken by a writer").contains("lease had lapsed");
        assertThatThrownBy(() -> lapsed.moveAlias(wait -> IndexAlias.set(alias, dir.resolve("green"), null, false)))
            .isInstanceOf(dev.strata.core.FenceLostException.class).hasMessageContaining("alias was not moved");
        lapsed.close();
        assertThat(IndexAlias.read(alias).index()).isEqualTo(blue.toAbsolutePath().normalize());
      }
    }
  }

  /** Closes {@code writer} and opens {@code path} again with {@code clock} (a writer on another machine). */
  private static VectorIndex reopenWithClock(VectorIndex writer, Path path, Clock clock) {
    writer.close();
    return VectorIndex.open(path, IndexOptions.builder().clock(clock).build());
  }

  @Test
  void aWriterThatCannotFollowTheAliasFailsLoudlyAndNeverCommitsToTheOldIndex() throws Exception {
    Path blue = dir.resolve("blue");
    Path green = dir.resolve("green");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(MODEL_A, 16)) {
      fill(blue, a, 10);
      IndexRebuilder.copy(blue, green, s -> s, IndexRebuilder.Progress.NONE);
      IndexAlias.set(alias, blue, null, false);
      try (LiveIndex live = LiveIndex.openAlias(alias, IndexOptions.DEFAULTS, CommitPolicy.explicit()).embedders(List.of(a));
          VectorIndex squatter = VectorIndex.open(green)) { // another writer holds green's lock
        live.upsertTexts(List.of(TextRecord.of("x", "buffered before the switch")));
        WriteFence.Raised fence = WriteFence.raise(blue, alias, green, 1, Duration.ofMinutes(5), Clock.systemUTC());
        fence.moveAlias(wait -> IndexAlias.set(alias, green, null, false));
        fence.close();
        long blueBefore = live.index().latestSnapshot().id();
        assertThatThrownBy(live::flush).hasMessageContaining("cannot follow").hasMessageContaining("already open for writing")
            .hasMessageContaining("no write was committed to the old index");
        assertThat(live.index().path()).as("still on blue, which refuses commits").isEqualTo(blue);
        assertThat(squatter.contains("x")).isFalse();
        try (VectorIndex check = VectorIndex.open(blue, IndexOptions.builder().readOnly(true).build())) {
          assertThat(check.latestSnapshot().id()).isEqualTo(blueBefore);
        }
      }
    }
  }

  @Test
  void aReadOnlyLiveIndexOnAnAliasFollowsItWhenItMoves() throws Exception {
    Path blue = dir.resolve("blue");
    Path green = dir.resolve("green");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(MODEL_A, 16)) {
      fill(blue, a, 10);
      IndexRebuilder.copy(blue, green, s -> s, IndexRebuilder.Progress.NONE);
      IndexAlias.set(alias, blue, null, false);
      ManualScheduler background = new ManualScheduler(); // the alias check is a step, not a wait
      IndexOptions readOnly = IndexOptions.builder().readOnly(true).refreshInterval(Duration.ofMillis(20))
          .scrubBytesPerSecond(0).scheduler(background).build();
      try (LiveIndex reader = LiveIndex.openAlias(alias, readOnly, CommitPolicy.explicit())) {
        assertThat(reader.index().path()).isEqualTo(blue.toAbsolutePath().normalize());
        assertThatThrownBy(() -> reader.deleteAll(List.of("d1"))).hasMessageContaining("read-only");
        IndexAlias.set(alias, green, null, false);
        assertThat(reader.moves()).as("not before its alias check runs").isZero();
        background.runPending();
        assertThat(reader.moves()).as("followed at its next alias check").isEqualTo(1);
        assertThat(reader.index().path()).isEqualTo(green.toAbsolutePath().normalize());
        long docs = reader.read(index -> index.stats().docs());
        assertThat(docs).isEqualTo(10);
      }
    }
  }

  /** Creates {@code path} with {@code count} records embedded by {@code model}; returns id to text. */
  static Map<String, String> fill(Path path, HashEmbedder model, int count) {
    Map<String, String> texts = new HashMap<>();
    IndexSchema schema = IndexSchema.builder(model.dimension(), Similarity.COSINE)
        .modelFingerprint(model.fingerprint().encoded()).fullText(true).build();
    try (VectorIndex index = VectorIndex.create(path, schema)) {
      TextIndex text = TextIndex.of(index, model);
      List<TextRecord> batch = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String t = "passage " + i + " about topic " + (i % 37);
        texts.put("d" + i, t);
        batch.add(TextRecord.of("d" + i, t));
      }
      text.upsertAll(batch);
      index.commit("seed");
    }
    return texts;
  }

  static Map<String, String> contents(Path index, String snapshot) {
    try (VectorIndex opened = VectorIndex.open(index, IndexOptions.builder().readOnly(true).build());
        SnapshotView view = opened.history().open(snapshot)) {
      return contents(view);
    }
  }

  static Map<String, String> contents(VectorIndex index) {
    try (SnapshotView view = index.openLatestSnapshot()) {
      return contents(view);
    }
  }

  private static Map<String, String> contents(SnapshotView view) {
    Map<String, String> texts = new HashMap<>();
    view.forEachRecord(r -> texts.put(r.id(), r.text()));
    return texts;
  }

  /**
   * One thread writing through a live index at a steady rate: new records, updates and deletes,
   * each call durable when it returns (every-call policy), tracked in an id-to-text model.
   */
  static final class SteadyWriter {
    private final LiveIndex live;
    private final Map<String, String> expected;
    private final Random random;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong ops = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<String> ids;
    private Thread thread;

    SteadyWriter(LiveIndex live, Map<String, String> expected, long seed) {
      this.live = live;
      this.expected = expected;
      this.random = new Random(seed);
      this.ids = new ArrayList<>(expected.keySet());
      ids.sort(null);
    }

    void start() {
      thread = Thread.ofPlatform().name("steady-writer").start(() -> {
        try {
          for (int i = 0; !stop.get(); i++) {
            int dice = random.nextInt(100);
            if (dice < 15 && !ids.isEmpty()) {
              String id = ids.remove(random.nextInt(ids.size()));
              live.deleteAll(List.of(id));
              expected.remove(id);
            } else {
              String id = dice < 40 && !ids.isEmpty() ? ids.get(random.nextInt(ids.size())) : "w" + i;
              String text = "written " + i + " by the steady writer";
              live.upsertTexts(List.of(TextRecord.of(id, text)));
              if (!expected.containsKey(id)) {
                ids.add(id);
              }
              expected.put(id, text);
            }
            ops.incrementAndGet();
            Thread.sleep(2);
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      });
    }

    long ops() {
      return ops.get();
    }

    void awaitOps(long count) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ops.get() < count) {
        if (failure.get() != null) {
          throw new AssertionError("the writer failed", failure.get());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the writer made " + ops.get() + " of " + count + " ops in 60 s");
        }
        Thread.sleep(5);
      }
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(Duration.ofSeconds(60));
      if (failure.get() != null) {
        throw new AssertionError("the writer failed", failure.get());
      }
    }

    Map<String, String> expected() {
      return expected;
    }
  }
}
