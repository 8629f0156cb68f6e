package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.serving.IndexUpgrade;
import java.lang.reflect.Array;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real index written by Lucene 9.12.3 (loaded in its own class loader, from the jar the build
 * copies to target/lucene9), in Strata's field layout, opened through lucene-backward-codecs and
 * upgraded to the current format with a snapshot manifest.
 */
class UpgradeTest {
  private static final int DOCS = 300;

  @TempDir Path dir;

  /** Writes DOCS documents with Lucene 9's API, by reflection: none of its classes leak into ours. */
  private static void writeWithLucene9(Path index) throws Exception {
    Path jar = Path.of(System.getProperty("strata.lucene9.jar", "target/lucene9/lucene-core-9.jar"));
    assertThat(jar).as("Lucene 9 jar copied by the build").exists();
    try (URLClassLoader lucene9 = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> directoryClass = lucene9.loadClass("org.apache.lucene.store.Directory");
      Object directory = lucene9.loadClass("org.apache.lucene.store.FSDirectory").getMethod("open", Path.class).invoke(null, index);
      Class<?> configClass = lucene9.loadClass("org.apache.lucene.index.IndexWriterConfig");
      Object config = configClass.getConstructor().newInstance();
      Class<?> writerClass = lucene9.loadClass("org.apache.lucene.index.IndexWriter");
      Object writer = writerClass.getConstructor(directoryClass, configClass).newInstance(directory, config);
      Class<?> documentClass = lucene9.loadClass("org.apache.lucene.document.Document");
      Class<?> fieldClass = lucene9.loadClass("org.apache.lucene.index.IndexableField");
      Class<?> storeClass = lucene9.loadClass("org.apache.lucene.document.Field$Store");
      Object storeYes = storeClass.getField("YES").get(null);
      Class<?> similarityClass = lucene9.loadClass("org.apache.lucene.index.VectorSimilarityFunction");
      Object cosine = similarityClass.getField("COSINE").get(null);
      var stringField = lucene9.loadClass("org.apache.lucene.document.StringField").getConstructor(String.class, String.class, storeClass);
      var storedField = lucene9.loadClass("org.apache.lucene.document.StoredField").getConstructor(String.class, String.class);
      var vectorField = lucene9.loadClass("org.apache.lucene.document.KnnFloatVectorField")
          .getConstructor(String.class, float[].class, similarityClass);
      var add = documentClass.getMethod("add", fieldClass);
      var addDocument = writerClass.getMethod("addDocument", Iterable.class);
      for (int i = 0; i < DOCS; i++) {
        Object doc = documentClass.getConstructor().newInstance();
        add.invoke(doc, stringField.newInstance("_id", "doc-" + i, storeYes));
        add.invoke(doc, vectorField.newInstance("_vector", new float[] {1, i, (float) Math.cos(i), 2}, cosine));
        add.invoke(doc, storedField.newInstance("_text", "lucene 9 text " + i));
        add.invoke(doc, stringField.newInstance("m.era", "old", storeYes));
        addDocument.invoke(writer, doc);
      }
      writerClass.getMethod("deleteDocuments", Array.newInstance(lucene9.loadClass("org.apache.lucene.index.Term"), 0).getClass())
          .invoke(writer, (Object) toTermArray(lucene9, "doc-7"));
      writerClass.getMethod("commit").invoke(writer);
      writerClass.getMethod("close").invoke(writer);
      directoryClass.getMethod("close").invoke(directory);
    }
  }

  private static Object toTermArray(ClassLoader lucene9, String id) throws Exception {
    Class<?> termClass = lucene9.loadClass("org.apache.lucene.index.Term");
    Object terms = Array.newInstance(termClass, 1);
    Array.set(terms, 0, termClass.getConstructor(String.class, String.class).newInstance("_id", id));
    return terms;
  }

  @Test
  void aLucene9IndexIsUpgradedWithAManifestAndEveryRecord() throws Exception {
    Path index = dir.resolve("legacy");
    writeWithLucene9(index);

    SnapshotInfo upgraded = IndexUpgrade.upgrade(index);
    assertThat(upgraded.message()).isEqualTo("upgraded from Lucene 9 (no manifest before)");
    assertThat(upgraded.liveCount()).isEqualTo(DOCS - 1);
    assertThat(dir.resolve("legacy.pre-upgrade")).isDirectory();

    try (VectorIndex opened = VectorIndex.open(index)) {
      assertThat(opened.schema().dimension()).isEqualTo(4);
      assertThat(opened.schema().similarity()).isEqualTo(Similarity.COSINE);
      Record r = opened.get("doc-42").orElseThrow();
      assertThat(r.text()).isEqualTo("lucene 9 text 42");
      assertThat(r.metadata()).containsEntry("era", "old");
      assertThat(opened.contains("doc-7")).isFalse();
      assertThat(opened.search(SearchRequest.builder(new float[] {1, 42, (float) Math.cos(42), 2}).k(1).build()).hits().get(0).id())
          .isEqualTo("doc-42");
      assertThat(opened.history().verify(Long.toString(upgraded.id())).sound()).isTrue();
    }
    try (var files = Files.list(index)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("segments_"));
    }
  }
}
