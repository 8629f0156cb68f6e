package dev.strata.core.snapshot;

import dev.strata.core.SnapshotInfo;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.internal.records.ProvenanceValues;
import dev.strata.core.internal.records.RecordDigests;
import dev.strata.core.snapshot.VerificationReport.Check;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.util.Bits;

/**
 * Checks one snapshot against itself: every file's checksum (Lucene's per-file footers), each
 * segment's structures with CheckIndex's per-segment tests (live docs, field infos, postings,
 * stored fields, doc values, points, vectors), the live count in the manifest, and the record
 * digest recomputed from the stored records, not from the hashes stored beside them. Each failure
 * names what was expected and what was found. Works on any kept snapshot and needs no write lock,
 * unlike {@code CheckIndex.checkIndex()}, which reads only the latest commit.
 */
public final class SnapshotVerifier {
  private SnapshotVerifier() {}

  /** Checks the files of {@code commit} against the snapshot's {@code manifest}, one result per check. */
  public static List<Check> verify(IndexCommit commit, SnapshotInfo manifest) {
    List<Check> checks = new ArrayList<>();
    DirectoryReader reader;
    try {
      reader = DirectoryReader.open(commit);
      checks.add(new Check("open", true, commit.getFileNames().size() + " files"));
    } catch (IOException | RuntimeException e) {
      checks.add(new Check("open", false, String.valueOf(e.getMessage())));
      return checks;
    }
    try (reader) {
      Check checksums = checksums(reader);
      checks.add(checksums);
      if (!checksums.passed()) {
        // The structure tests and the digest would read the damaged bytes as data, and may fail in
        // any way doing so; the file is named already.
        checks.add(new Check("structure", false, "not checked: a file fails its checksum"));
        return checks;
      }
      checks.add(structure(reader));
      checks.add(count("liveCount", manifest.liveCount(), reader.numDocs()));
      tagCatalog(commit).ifPresent(checks::add);
      digests(reader, manifest, checks);
    } catch (IOException e) {
      checks.add(new Check("close", false, String.valueOf(e.getMessage())));
    }
    return checks;
  }

  /**
   * A snapshot that recorded tags needs the catalog beside it: deleted, it would read as "no tags"
   * and let retention take the snapshots it protected.
   */
  private static java.util.Optional<Check> tagCatalog(IndexCommit commit) throws IOException {
    if (!(FilterDirectory.unwrap(commit.getDirectory()) instanceof FSDirectory fs)) {
      return java.util.Optional.empty();
    }
    java.util.Optional<String> missing = TagCatalog.missingFile(fs.getDirectory(), commit.getUserData());
    if (missing.isPresent()) {
      return java.util.Optional.of(new Check("tags", false, missing.get()));
    }
    return CommitData.recordedTagCount(commit.getUserData()) == 0 ? java.util.Optional.empty()
        : java.util.Optional.of(new Check("tags", true, "tag catalog present"));
  }

  private static Check checksums(DirectoryReader reader) {
    for (LeafReaderContext leaf : reader.leaves()) {
      try {
        ((CodecReader) leaf.reader()).checkIntegrity();
      } catch (IOException | RuntimeException e) {
        return new Check("checksums", false, String.valueOf(e.getMessage()));
      }
    }
    return new Check("checksums", true, reader.leaves().size() + " segments");
  }

  private static Check structure(DirectoryReader reader) {
    for (LeafReaderContext leaf : reader.leaves()) {
      CodecReader segment = (CodecReader) leaf.reader();
      try {
        CheckIndex.testLiveDocs(segment, null, true);
        CheckIndex.testFieldInfos(segment, null, true);
        CheckIndex.testPostings(segment, null, false, CheckIndex.Level.DEFAULT_VALUE, true);
        CheckIndex.testStoredFields(segment, null, true);
        CheckIndex.testDocValues(segment, null, true);
        CheckIndex.testPoints(segment, null, true);
        CheckIndex.testVectors(segment, null, true);
      } catch (IOException | RuntimeException e) {
        return new Check("structure", false, segment + ": " + e.getMessage());
      }
    }
    return new Check("structure", true, "CheckIndex tests passed on " + reader.leaves().size() + " segments");
  }

  private static Check count(String name, long expected, long actual) {
    return new Check(name, expected == actual, "manifest " + expected + ", index " + actual);
  }

  private static void digests(DirectoryReader reader, SnapshotInfo manifest, List<Check> checks) {
    try {
      long stored = 0;
      long recomputed = 0;
      for (LeafReaderContext leaf : reader.leaves()) {
        stored += RecordDigests.sumOf(leaf.reader());
        recomputed += recompute(leaf.reader());
      }
      checks.add(new Check("hashes", stored == recomputed,
          "stored hashes " + RecordDigests.format(stored) + ", recomputed from records " + RecordDigests.format(recomputed)));
      if (manifest.recordDigest() == null) {
        checks.add(new Check("recordDigest", true, "manifest has none (written before digests); records give " + RecordDigests.format(recomputed)));
      } else {
        checks.add(new Check("recordDigest", manifest.recordDigest().equals(RecordDigests.format(recomputed)),
            "manifest " + manifest.recordDigest() + ", records " + RecordDigests.format(recomputed)));
      }
    } catch (IOException | RuntimeException e) {
      checks.add(new Check("recordDigest", false, "cannot read the records: " + e.getMessage()));
    }
  }

  private static long recompute(LeafReader reader) throws IOException {
    FloatVectorValues vectors = reader.getFloatVectorValues(LuceneDocuments.VECTOR);
    if (vectors == null) {
      return 0;
    }
    Bits live = reader.getLiveDocs();
    StoredFields stored = reader.storedFields();
    ProvenanceValues provenance = new ProvenanceValues(reader);
    long sum = 0;
    KnnVectorValues.DocIndexIterator it = vectors.iterator();
    for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
      if (live != null && !live.get(doc)) {
        continue;
      }
      Document d = stored.document(doc);
      Map<String, Object> metadata = new LinkedHashMap<>(LuceneDocuments.metadataOf(d));
      sum += RecordDigests.hash(d.get(LuceneDocuments.ID), vectors.vectorValue(it.index()), d.get(LuceneDocuments.TEXT),
          metadata, provenance.source(doc));
    }
    return sum;
  }
}
