package dev.strata.core.internal.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids from doc values, on a real Lucene index where some segments (and, after a merge, some
 * documents of one segment) were written before the ids had doc values.
 */
class HitIdsTest {
  @TempDir Path dir;

  @Test
  void idsComeBackInRankOrderWithOrWithoutDocValues() throws Exception {
    long seed = TestSeeds.seed("hit-ids");
    Random random = new Random(seed);
    int count = 600;
    try (var directory = FSDirectory.open(dir);
        var writer = new IndexWriter(directory, new IndexWriterConfig())) {
      for (int i = 0; i < count; i++) {
        Document doc = new Document();
        doc.add(new StringField(LuceneDocuments.ID, "id-" + i, Field.Store.YES));
        if (i >= count / 3) { // the first third as an index from before the doc values
          // marked, so the test sees which of the two sources each id came from
          doc.add(new BinaryDocValuesField(LuceneDocuments.ID_VALUES, new BytesRef("dv:id-" + i)));
        }
        writer.addDocument(doc);
        if (i % 100 == 99) {
          writer.commit(); // one segment per hundred documents
        }
      }
      checkRandomRankings(directory, random, count, seed, "six segments");
      writer.forceMerge(1); // documents with and without doc values in one segment
      writer.commit();
      checkRandomRankings(directory, random, count, seed, "one merged segment");
    }
  }

  private static void checkRandomRankings(FSDirectory directory, Random random, int count, long seed, String layout)
      throws Exception {
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.maxDoc()).isEqualTo(count);
      for (int round = 0; round < 50; round++) {
        int n = 1 + random.nextInt(30);
        List<Integer> docs = new ArrayList<>();
        while (docs.size() < n) {
          int doc = random.nextInt(count);
          if (!docs.contains(doc)) {
            docs.add(doc); // random order: ranks are not document order
          }
        }
        ScoreDoc[] ranked = new ScoreDoc[n + 3]; // the tail past n must be ignored
        for (int i = 0; i < ranked.length; i++) {
          ranked[i] = new ScoreDoc(i < n ? docs.get(i) : 0, 1f / (i + 1));
        }
        String[] ids = HitIds.of(reader, ranked, n);
        assertThat(ids).as("%s, round %d, %s", layout, round, TestSeeds.describe(seed)).hasSize(n);
        for (int i = 0; i < n; i++) {
          String stored = reader.storedFields().document(ranked[i].doc).get(LuceneDocuments.ID);
          boolean hasDocValues = Integer.parseInt(stored.substring("id-".length())) >= count / 3;
          String expected = hasDocValues ? "dv:" + stored : stored;
          assertThat(ids[i]).as("rank %d, %s, round %d, %s", i, layout, round, TestSeeds.describe(seed))
              .isEqualTo(expected);
        }
      }
    }
  }
}
