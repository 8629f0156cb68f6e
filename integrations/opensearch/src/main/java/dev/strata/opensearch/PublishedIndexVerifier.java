package dev.strata.opensearch;

import dev.strata.core.Record;
import dev.strata.core.snapshot.SnapshotView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.mget.MultiGetResponseItem;

/**
 * Compares a published index with a local snapshot: its {@code _meta} manifest (snapshot id,
 * record digest, model, schema), its document count, and a seeded random sample of records read
 * back field by field, vectors to the last bit. Reads only; retries as a publish does.
 */
public final class PublishedIndexVerifier {
  private final OpenSearchClient client;
  private final RemoteRetrier retrier;

  public PublishedIndexVerifier(OpenSearchConnection connection, RetryPolicy retryPolicy) {
    this.client = connection.client();
    this.retrier = new RemoteRetrier(retryPolicy, new Random(), PublishListener.NONE);
  }

  /** Checks the index behind {@code indexOrAlias} against {@code view} with {@code sampleSize} records. */
  public PublishVerification verify(SnapshotView view, String indexOrAlias, int sampleSize, long seed) {
    Map<String, PublishedMeta> metas;
    try {
      metas = retrier.call("reading the manifest of '" + indexOrAlias + "'", () -> PublishedIndices.metaOf(client, indexOrAlias));
    } catch (IllegalArgumentException notStrata) {
      throw new PublishException(notStrata.getMessage(), notStrata);
    }
    if (metas.size() != 1) {
      throw new PublishException("'" + indexOrAlias + "' resolves to " + metas.size() + " indices " + metas.keySet()
          + "; verify one index at a time");
    }
    String index = metas.keySet().iterator().next();
    List<PublishVerification.Check> checks = new ArrayList<>();
    checks.add(manifest(metas.get(index), view));
    long count = retrier.call("counting '" + index + "'", () -> client.count(c -> c.index(index)).count());
    checks.add(new PublishVerification.Check("count", count == view.liveCount(),
        count + " documents, snapshot " + view.snapshot().id() + " has " + view.liveCount() + " live records"));
    checks.add(sample(index, view, sampleSize, seed));
    return new PublishVerification(index, view.snapshot().id(), checks);
  }

  private static PublishVerification.Check manifest(PublishedMeta meta, SnapshotView view) {
    List<String> differences = new ArrayList<>();
    differ(differences, "snapshotId", meta.snapshotId(), view.snapshot().id());
    differ(differences, "recordDigest", meta.recordDigest(), view.snapshot().recordDigest());
    differ(differences, "modelFingerprint", meta.modelFingerprint(), view.schema().modelFingerprint());
    differ(differences, "dimension", meta.dimension(), view.schema().dimension());
    differ(differences, "similarity", meta.similarity(), view.schema().similarity().externalName());
    differ(differences, "liveCount", meta.liveCount(), view.liveCount());
    return new PublishVerification.Check("manifest", differences.isEmpty(), differences.isEmpty()
        ? "snapshot " + meta.snapshotId() + ", digest " + meta.recordDigest() + ", model " + meta.modelFingerprint()
        : String.join("; ", differences));
  }

  private static void differ(List<String> differences, String field, Object published, Object local) {
    if (!Objects.equals(published, local)) {
      differences.add(field + " is " + published + " in OpenSearch but " + local + " here");
    }
  }

  private PublishVerification.Check sample(String index, SnapshotView view, int sampleSize, long seed) {
    List<Record> sample = reservoir(view, sampleSize, new Random(seed));
    if (sample.isEmpty()) {
      return new PublishVerification.Check("sample", true, "no records to compare");
    }
    List<String> ids = sample.stream().map(Record::id).toList();
    List<MultiGetResponseItem<JsonData>> docs = retrier.call("reading " + ids.size() + " sample records from '" + index + "'",
        () -> client.mget(m -> m.index(index).ids(ids), JsonData.class).docs());
    Map<String, Map<String, Object>> published = new HashMap<>();
    for (MultiGetResponseItem<JsonData> doc : docs) {
      if (doc.isResult() && doc.result().found() && doc.result().source() != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) JsonValues.toJava(doc.result().source().toJson());
        published.put(doc.result().id(), source);
      }
    }
    List<String> problems = new ArrayList<>();
    for (Record record : sample) {
      String problem = compare(record, published.get(record.id()));
      if (problem != null) {
        problems.add("'" + record.id() + "' " + problem);
      }
    }
    String detail = (sample.size() - problems.size()) + " of " + sample.size() + " sampled records identical";
    if (!problems.isEmpty()) {
      detail += "; " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
          + (problems.size() > 5 ? "; ..." : "");
    }
    return new PublishVerification.Check("sample", problems.isEmpty(), detail);
  }

  /** What differs between a local record and its published source, or null when nothing does. */
  @SuppressWarnings("unchecked")
  static String compare(Record local, Map<String, Object> source) {
    if (source == null) {
      return "is missing";
    }
    if (!(source.get(IndexMappings.VECTOR) instanceof List<?> vector) || vector.size() != local.vector().length) {
      return "has no vector of dimension " + local.vector().length;
    }
    float[] expected = local.vector();
    for (int i = 0; i < expected.length; i++) {
      if (!(vector.get(i) instanceof Number n) || Float.floatToIntBits(n.floatValue()) != Float.floatToIntBits(expected[i])) {
        return "has another vector (component " + i + ": " + vector.get(i) + " instead of " + expected[i] + ")";
      }
    }
    if (!Objects.equals(source.get(IndexMappings.TEXT), local.text())) {
      return "has another text";
    }
    Map<String, Object> metadata = source.get(IndexMappings.METADATA) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    if (metadata.size() != local.metadata().size()) {
      return "has metadata fields " + metadata.keySet() + " instead of " + local.metadata().keySet();
    }
    for (Map.Entry<String, Object> e : local.metadata().entrySet()) {
      Object theirs = metadata.get(e.getKey());
      boolean same = e.getValue() instanceof Number a && theirs instanceof Number b
          ? a.doubleValue() == b.doubleValue()
          : Objects.equals(e.getValue(), theirs);
      if (!same) {
        return "has metadata " + e.getKey() + "=" + theirs + " instead of " + e.getValue();
      }
    }
    return null;
  }

  /** A uniform sample of up to {@code size} live records, in one pass (reservoir sampling). */
  private static List<Record> reservoir(SnapshotView view, int size, Random random) {
    List<Record> sample = new ArrayList<>(size);
    long[] seen = {0};
    view.forEachRecord(record -> {
      seen[0]++;
      if (sample.size() < size) {
        sample.add(record);
      } else {
        long slot = (long) (random.nextDouble() * seen[0]);
        if (slot < size) {
          sample.set((int) slot, record);
        }
      }
    });
    return sample;
  }

}
