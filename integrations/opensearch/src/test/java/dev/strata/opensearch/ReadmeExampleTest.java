package dev.strata.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.Embedder;
import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.testing.HashEmbedder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's "Scaling out" searcher snippet against a published index, and checks the README shows exactly this code. */
@ExtendWith(OpenSearchNodeExtension.class)
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void theReadmeSearcherSnippetRunsAgainstAPublishedIndex(OpenSearchTestNode node) throws IOException {
    Embedder embedder = new HashEmbedder(PublishTestData.model("readme-model"), 16);
    URI clusterUri = node.uri();
    long publishedSnapshot;
    try (VectorIndex index = VectorIndex.create(dir.resolve("docs"), IndexSchema.builder(16, Similarity.COSINE)
            .modelFingerprint(embedder.fingerprint().encoded()).build());
        OpenSearchConnection connection = OpenSearchConnection.connect(clusterUri)) {
      List<Record> records = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String text = "passage " + i + " about snapshots and rollbacks";
        records.add(Record.of("p" + i, embedder.embed(text), text));
      }
      index.upsertAll(records, VectorSource.model(embedder.fingerprint()));
      publishedSnapshot = index.commit("readme").id();
      new SnapshotPublisher(connection).publish(index, PublishOptions.builder("docs-{snapshot}").alias("docs").replicas(0).build());
    }

    String answeredBy;
    long snapshot;
    List<Hit> hits;
    // --8<-- [start:opensearch-searcher]
    try (OpenSearchConnection os = OpenSearchConnection.connect(clusterUri)) {
      OpenSearchSearcher searcher = OpenSearchSearcher.open(os, "docs", embedder); // checks _meta.modelFingerprint now
      PublishedSearchResult result = searcher.search("how do I roll back?", 10);
      answeredBy = result.index();   // which index answered, e.g. docs-42
      snapshot = result.snapshotId(); // the snapshot it holds
      hits = result.hits();           // ids, scores on Strata's scale, texts, metadata
    }
    // --8<-- [end:opensearch-searcher]
    assertThat(answeredBy).isEqualTo("docs-" + publishedSnapshot);
    assertThat(snapshot).isEqualTo(publishedSnapshot);
    assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.text()).startsWith("passage "));

    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("// --8<-- \\[start:opensearch-searcher]\\n(.*?)\\n\\s*// --8<-- \\[end:opensearch-searcher]", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("src/test/java/dev/strata/opensearch/ReadmeExampleTest.java")));
    assertThat(m.find()).isTrue();
    String region = m.group(1).lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .reduce((a, b) -> a + "\n" + b).orElseThrow();
    assertThat(readme).contains(region);
  }
}
