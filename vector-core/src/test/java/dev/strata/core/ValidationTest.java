package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule at the door, and proof that a rejected record changes nothing. */
class ValidationTest {
  @TempDir Path dir;
  private VectorIndex cosine;

  @BeforeEach
  void open() {
    cosine =
        VectorIndex.create(
            dir.resolve("cos"),
            IndexSchema.builder(3, Similarity.COSINE).build(),
            IndexOptions.builder().maxTextBytes(10).build());
    cosine.upsert(new Record("good", new float[] {1, 2, 3}, "ok", Map.of("color", "red", "n", 1)));
    cosine.commit("baseline");
  }

  @AfterEach
  void close() {
    cosine.close();
  }

  private RecordValidationException rejected(VectorIndex index, Record record) {
    SnapshotInfo before = index.latestSnapshot();
    RecordValidationException e =
        catchThrowableOfType(RecordValidationException.class, () -> index.upsert(record));
    assertThat(e).as("expected %s to be rejected", record).isNotNull();
    // Nothing was buffered: committing now records the same live set.
    SnapshotInfo after = index.commit("after rejection");
    assertThat(after.liveCount()).isEqualTo(before.liveCount());
    if (index == cosine) {
      assertThat(index.get("good")).isPresent();
    }
    return e;
  }

  @Test
  void wrongDimension() {
    RecordValidationException e = rejected(cosine, Record.of("r1", new float[] {1, 2}));
    assertThat(e.rule()).isEqualTo(ValidationRule.DIMENSION_MISMATCH);
    assertThat(e.recordId()).isEqualTo("r1");
    assertThat(e.field()).isEqualTo("vector");
    assertThat(e).hasMessage("record 'r1': vector: expected dimension 3, got 2 [DIMENSION_MISMATCH]");
  }

  @Test
  void nanAndInfinity() {
    assertThat(rejected(cosine, Record.of("nan", new float[] {1, Float.NaN, 0})))
        .hasMessageContaining("component 1 is NaN")
        .extracting(RecordValidationException::rule)
        .isEqualTo(ValidationRule.NON_FINITE_VALUE);
    assertThat(rejected(cosine, Record.of("inf", new float[] {Float.NEGATIVE_INFINITY, 0, 0})))
        .hasMessageContaining("component 0 is -Infinity");
  }

  @Test
  void controlCharactersAndUnpairedSurrogatesAreRefusedBeforeTheyCanBeStoredAsSomethingElse() {
    RecordValidationException control = rejected(cosine, Record.of("bell\u0007id", new float[] {1, 0, 0}));
    assertThat(control.rule()).isEqualTo(ValidationRule.ID_INVALID_CHARACTER);
    assertThat(control.recordId()).as("the id in the message is escaped").isEqualTo("bell\\u0007id");
    assertThat(control).hasMessageContaining("U+0007 at index 4");
    assertThat(rejected(cosine, Record.of("half\ud800", new float[] {1, 0, 0})).rule())
        .isEqualTo(ValidationRule.ID_INVALID_CHARACTER);
    assertThat(rejected(cosine, Record.of("t", new float[] {1, 0, 0}, "text \udc00 here")))
        .hasMessageContaining("text: unpaired surrogate U+DC00 at index 5")
        .extracting(RecordValidationException::rule).isEqualTo(ValidationRule.INVALID_UNICODE);
    assertThat(rejected(cosine, new Record("m", new float[] {1, 0, 0}, null, java.util.Map.of("k", "\ud83d"))).field())
        .isEqualTo("metadata.k");
    // Paired surrogates (an emoji), path separators and dots are ordinary id characters.
    cosine.upsert(Record.of("../a/b\\c-😀", new float[] {1, 0, 0}));
    cosine.commit("odd but valid id");
    assertThat(cosine.contains("../a/b\\c-😀")).isTrue();
  }

  @Test
  void invisibleAndBidiCharactersAndBlankIdsAreRefusedAndIdsAreNotNormalised() {
    for (String invisible : new String[] {"a\u202Eb", "zero\u200Bwidth", "\uFEFFbom", "line\u2028sep", "para\u2029sep",
        "soft\u00ADhyphen", "joiner\u200Did",
        // default-ignorable code points that Java calls letters or marks: Hangul fillers, the combining
        // grapheme joiner, Khmer's inherent vowel, a variation selector, and a tag character (U+E0020),
        // which makes "a" U+E0020 "b" print as "ab"
        "x\u3164", "x\u115F", "x\uFFA0", "x\u17B4", "x\u034F", "x\uFE0F", "a" + Character.toString(0xE0020) + "b"}) {
      assertThat(rejected(cosine, Record.of(invisible, new float[] {1, 0, 0})).rule()).as(invisible)
          .isEqualTo(ValidationRule.ID_INVALID_CHARACTER);
    }
    for (String blank : new String[] {"\u00A0", "\u2007\u2007", "\u202F", "\u2800", "\u3164", " \u00A0 "}) {
      assertThat(rejected(cosine, Record.of(blank, new float[] {1, 0, 0})).rule()).as(blank)
          .isEqualTo(ValidationRule.ID_EMPTY);
    }
    assertThat(rejected(cosine, Record.of("   ", new float[] {1, 0, 0})))
        .hasMessageContaining("only whitespace").extracting(RecordValidationException::rule).isEqualTo(ValidationRule.ID_EMPTY);
    // No Unicode normalisation: "é" as one code point and as e + combining accent are two ids.
    cosine.upsertAll(java.util.List.of(Record.of("caf\u00E9", new float[] {1, 0, 0}), Record.of("cafe\u0301", new float[] {0, 1, 0})));
    cosine.commit("two spellings");
    assertThat(cosine.get("caf\u00E9").orElseThrow().vector()).containsExactly(1, 0, 0);
    assertThat(cosine.get("cafe\u0301").orElseThrow().vector()).containsExactly(0, 1, 0);
  }

  @Test
  void zeroVectorForCosine() {
    assertThat(rejected(cosine, Record.of("zero", new float[3])).rule())
        .isEqualTo(ValidationRule.ZERO_VECTOR);
  }

  @Test
  void nonUnitVectorForDotProductIsRejectedOrNormalisedAsTheSchemaSays() {
    try (VectorIndex strict =
        VectorIndex.create(dir.resolve("dot"), IndexSchema.builder(2, Similarity.DOT_PRODUCT).build())) {
      RecordValidationException e = rejected(strict, Record.of("long", new float[] {3, 4}));
      assertThat(e.rule()).isEqualTo(ValidationRule.NOT_UNIT_LENGTH);
      assertThat(e).hasMessageContaining("length is 5.0");
      strict.upsert(Record.of("unit", new float[] {0.6f, 0.8f}));
      assertThat(strict.commit("unit").liveCount()).isEqualTo(1);
    }
    try (VectorIndex normalising =
        VectorIndex.create(
            dir.resolve("dotn"), IndexSchema.builder(2, Similarity.DOT_PRODUCT).normalize(true).build())) {
      normalising.upsert(Record.of("long", new float[] {3, 4}));
      normalising.commit("normalised");
      assertThat(normalising.get("long").orElseThrow().vector()).containsExactly(0.6f, 0.8f);
    }
  }

  @Test
  void emptyAndOverLongIds() {
    assertThat(rejected(cosine, Record.of("", new float[] {1, 0, 0})).rule())
        .isEqualTo(ValidationRule.ID_EMPTY);
    String longId = "é".repeat(257); // 514 UTF-8 bytes
    RecordValidationException e = rejected(cosine, Record.of(longId, new float[] {1, 0, 0}));
    assertThat(e.rule()).isEqualTo(ValidationRule.ID_TOO_LONG);
    assertThat(e).hasMessageContaining("514 UTF-8 bytes, limit is 512");
    cosine.upsert(Record.of("é".repeat(256), new float[] {1, 0, 0})); // exactly 512 bytes
  }

  @Test
  void textOverTheConfiguredLimit() {
    RecordValidationException e = rejected(cosine, Record.of("t", new float[] {1, 0, 0}, "x".repeat(11)));
    assertThat(e.rule()).isEqualTo(ValidationRule.TEXT_TOO_LONG);
    assertThat(e.field()).isEqualTo("text");
    assertThat(e).hasMessageContaining("11 UTF-8 bytes, limit is 10");
  }

  @Test
  void metadataOfTheWrongType() {
    Map<String, Object> list = Map.of("tags", List.of("a", "b"));
    RecordValidationException e = rejected(cosine, new Record("m", new float[] {1, 0, 0}, null, list));
    assertThat(e.rule()).isEqualTo(ValidationRule.METADATA_VALUE_TYPE);
    assertThat(e.field()).isEqualTo("metadata.tags");

    RecordValidationException conflict =
        rejected(cosine, new Record("m", new float[] {1, 0, 0}, null, Map.of("color", 7)));
    assertThat(conflict.rule()).isEqualTo(ValidationRule.METADATA_TYPE_CONFLICT);
    assertThat(conflict).hasMessageContaining("field is string in this index, record gives number");

    Map<String, Object> nullValue = new HashMap<>();
    nullValue.put("x", null);
    assertThat(rejected(cosine, new Record("m", new float[] {1, 0, 0}, null, nullValue)))
        .hasMessageContaining("got null");
    assertThat(rejected(cosine, new Record("m", new float[] {1, 0, 0}, null, Map.of("big", Long.MAX_VALUE))))
        .hasMessageContaining("beyond 2^53");
    assertThat(rejected(cosine, new Record("m", new float[] {1, 0, 0}, null, Map.of("bad key", 1))).rule())
        .isEqualTo(ValidationRule.METADATA_KEY_INVALID);
  }

  @Test
  void oneBadRecordInABatchBuffersNoneOfIt() {
    List<Record> batch =
        List.of(
            Record.of("b1", new float[] {1, 0, 0}),
            new Record("b2", new float[] {0, 1, 0}, null, Map.of("fresh", "s")),
            Record.of("b3", new float[] {0, 1})); // wrong dimension
    assertThatThrownBy(() -> cosine.upsertAll(batch))
        .isInstanceOf(RecordValidationException.class)
        .hasMessageContaining("'b3'");
    assertThat(cosine.commit("after bad batch").liveCount()).isEqualTo(1);
    // The batch's new field type was not registered either: a number is still fine there.
    cosine.upsert(new Record("b4", new float[] {0, 1, 0}, null, Map.of("fresh", 2)));
  }

  @Test
  void conflictingTypesWithinOneBatchAreRejected() {
    List<Record> batch =
        List.of(
            new Record("c1", new float[] {1, 0, 0}, null, Map.of("size", "large")),
            new Record("c2", new float[] {0, 1, 0}, null, Map.of("size", 3)));
    RecordValidationException e =
        catchThrowableOfType(RecordValidationException.class, () -> cosine.upsertAll(batch));
    assertThat(e.recordId()).isEqualTo("c2");
    assertThat(e.rule()).isEqualTo(ValidationRule.METADATA_TYPE_CONFLICT);
  }

  @Test
  void badQueriesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> cosine.search(SearchRequest.builder(new float[] {1, 0}).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("query vector: expected dimension 3, got 2");
    assertThatThrownBy(() -> cosine.search(SearchRequest.builder(new float[3]).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all components are zero");
    assertThatThrownBy(() -> SearchRequest.builder(new float[] {1, 0, 0}).k(0).build())
        .hasMessageContaining("k must be in [1, 10000], got 0");
    assertThatThrownBy(() -> SearchRequest.builder(new float[] {1, 0, 0}).k(10).ef(5).build())
        .hasMessageContaining("ef must be in [k=10, 10000], got 5");
  }

  @Test
  void schemaBuilderNamesTheBadField() {
    assertThatThrownBy(() -> IndexSchema.builder(0, Similarity.COSINE).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dimension must be in [1, 1024], got 0");
    assertThatThrownBy(() -> IndexSchema.builder(4, Similarity.COSINE).hnswM(0).build())
        .hasMessage("hnswM must be in [1, 512], got 0");
    assertThatThrownBy(() -> IndexSchema.builder(4, Similarity.COSINE).normalize(true).build())
        .hasMessageContaining("only applies to similarity dot_product");
    assertThatThrownBy(() -> Similarity.parse("manhattan"))
        .hasMessage("unknown similarity 'manhattan'; expected one of cosine, dot_product, euclidean, max_inner_product");
  }
}
