package dev.strata.core.internal.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.search.HitIds;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hits' texts and metadata from doc values: the encoding round-trips any text and metadata, a
 * record too large for it is read from the stored fields, and so is a document written before the
 * doc values existed; a search returns what {@code get} returns either way.
 */
class HitValuesTest {
  private static final String ALPHABET = "abcxyz 09é東京😀\u0000\n\"\\";

  @TempDir Path dir;

  @Test
  void textAndMetadataRoundTrip() throws Exception {
    long seed = TestSeeds.seed("hit-values");
    Random random = new Random(seed);
    for (int i = 0; i < 500; i++) {
      String text = random.nextInt(5) == 0 ? null : randomText(random, random.nextInt(300));
      Map<String, Object> metadata = randomMetadata(random);
      HitValues.TextAndMetadata decoded = HitValues.decode(HitValues.encode(text, metadata));
      assertThat(decoded).as("case %d, %s", i, TestSeeds.describe(seed)).isNotNull();
      assertThat(decoded.text()).isEqualTo(text);
      assertThat(decoded.metadata()).containsExactlyEntriesOf(metadata); // in the record's order
    }
  }

  @Test
  void recordsLargerThanTheLimitAreLeftToTheStoredFields() throws Exception {
    assertThat(HitValues.decode(HitValues.encode("x".repeat(HitValues.MAX_BYTES + 1), Map.of()))).isNull();
    // Under the limit in chars, over it in UTF-8 bytes.
    assertThat(HitValues.decode(HitValues.encode("é".repeat(HitValues.MAX_BYTES / 2 + 1), Map.of()))).isNull();
    Map<String, Object> large = Map.of("k", "v".repeat(HitValues.MAX_BYTES));
    assertThat(HitValues.decode(HitValues.encode("short", large))).isNull();
    assertThat(HitValues.decode(HitValues.encode("x".repeat(HitValues.MAX_BYTES - 10), Map.of()))).isNotNull();
  }

  @Test
  void searchHitsCarryWhatGetReturnsWhicheverCopyTheyComeFrom() {
    long seed = TestSeeds.seed("hit-values-index");
    Random random = new Random(seed);
    int dim = 8;
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(dim, Similarity.COSINE).build())) {
      List<Record> records = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        float[] vector = new float[dim];
        for (int d = 0; d < dim; d++) {
          vector[d] = (float) random.nextGaussian();
        }
        String text = switch (i % 4) {
          case 0 -> null;
          case 1 -> "x".repeat(HitValues.MAX_BYTES * 2); // stored fields only
          default -> randomText(random, 50);
        };
        records.add(new Record("r" + i, vector, text, randomMetadata(random)));
      }
      index.upsertAll(records);
      index.commit("records");
      for (Record record : records.subList(0, 40)) {
        List<Hit> hits = index.search(SearchRequest.builder(record.vector()).k(20).build()).hits();
        assertThat(hits).isNotEmpty();
        for (Hit hit : hits) {
          Record stored = index.get(hit.id()).orElseThrow();
          assertThat(hit.text()).as("%s, %s", hit.id(), TestSeeds.describe(seed)).isEqualTo(stored.text());
          assertThat(hit.metadata()).as(hit.id()).isEqualTo(stored.metadata()); // Lucene's stored fields keep their own order
        }
      }
    }
  }

  @Test
  void documentsWrittenBeforeTheDocValuesAreReadFromTheStoredFields() throws Exception {
    try (var directory = FSDirectory.open(dir);
        var writer = new IndexWriter(directory, new IndexWriterConfig())) {
      for (int i = 0; i < 50; i++) {
        Document doc = new Document(); // as an index written before the hit values existed
        doc.add(new StringField(LuceneDocuments.ID, "old-" + i, Field.Store.YES));
        doc.add(new StoredField(LuceneDocuments.TEXT, "old text " + i));
        doc.add(new StringField(LuceneDocuments.metadataField("lang"), "en", Field.Store.YES));
        writer.addDocument(doc);
      }
      writer.commit();
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        ScoreDoc[] ranked = {new ScoreDoc(42, 0.9f), new ScoreDoc(3, 0.8f)};
        List<Hit> hits = HitIds.withTextAndMetadata(reader, ranked, 2);
        assertThat(hits).extracting(Hit::id).containsExactly("old-42", "old-3");
        assertThat(hits).extracting(Hit::text).containsExactly("old text 42", "old text 3");
        assertThat(hits.get(0).metadata()).containsExactlyEntriesOf(Map.of("lang", "en"));
        assertThat(hits.get(0).score()).isEqualTo(0.9f);
      }
    }
  }

  private static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      text.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
    }
    return text.toString();
  }

  private static Map<String, Object> randomMetadata(Random random) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    int entries = random.nextInt(5);
    for (int e = 0; e < entries; e++) {
      int key = random.nextInt(100); // one type per key, as an index requires
      metadata.put("k" + key, key % 2 == 0 ? (Object) (random.nextDouble() * 1e6 - 5e5) : randomText(random, random.nextInt(20)));
    }
    return metadata;
  }
}
