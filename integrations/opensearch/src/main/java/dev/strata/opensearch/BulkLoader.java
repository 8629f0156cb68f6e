package dev.strata.opensearch;

import dev.strata.core.Record;
import dev.strata.core.SnapshotView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;

/**
 * Sends every live record of a snapshot to an index in bulk requests of a fixed size. A request
 * the cluster pushes back on is sent again after a backoff; when only some of its records were
 * refused for overload (a 429 per item), only those are sent again. A record refused for any other
 * reason ends the load: a published index holds the whole snapshot or is not published.
 */
final class BulkLoader {
  private final OpenSearchClient client;
  private final RemoteRetrier retrier;
  private final PublishListener listener;
  private final int batchSize;
  private long loaded;
  private int requests;

  BulkLoader(OpenSearchClient client, RemoteRetrier retrier, PublishListener listener, int batchSize) {
    this.client = client;
    this.retrier = retrier;
    this.listener = listener;
    this.batchSize = batchSize;
  }

  /** Loads every live record of {@code view} into {@code index}; returns how many. */
  long load(SnapshotView view, String index) {
    long total = view.liveCount();
    List<Record> batch = new ArrayList<>(batchSize);
    view.forEachRecord(record -> {
      batch.add(record);
      if (batch.size() == batchSize) {
        send(index, batch, total);
        batch.clear();
      }
    });
    if (!batch.isEmpty()) {
      send(index, batch, total);
    }
    return loaded;
  }

  /** Bulk requests sent, retries included. */
  int requests() {
    return requests;
  }

  private void send(String index, List<Record> records, long total) {
    List<Record> pending = records;
    String what = "bulk load of records " + (loaded + 1) + "-" + (loaded + records.size()) + " of " + total + " into '" + index + "'";
    for (int attempt = 1; ; attempt++) {
      String failure;
      try {
        requests++;
        BulkResponse response = client.bulk(request(index, pending));
        List<Record> refused = overloaded(response, pending);
        loaded += pending.size() - refused.size();
        listener.loaded(loaded, total);
        if (refused.isEmpty()) {
          return;
        }
        failure = refused.size() + " of " + pending.size() + " records refused for overload (HTTP 429/503)";
        pending = refused;
      } catch (IOException | OpenSearchException e) {
        RemoteRetrier.Failure judged = RemoteRetrier.judge(e);
        if (!judged.retryable()) {
          throw new PublishException(what + " failed: " + judged.description());
        }
        failure = judged.description();
      }
      if (attempt >= retrier.policy().maxAttempts()) {
        throw new PublishException(
            what + " failed " + attempt + " times, giving up (retry limit " + retrier.policy().maxAttempts() + "): " + failure);
      }
      retrier.backOff(what, attempt, failure);
    }
  }

  /** The records refused for overload, to send again; throws on a record refused for good. */
  private static List<Record> overloaded(BulkResponse response, List<Record> sent) {
    if (!response.errors()) {
      return List.of();
    }
    List<Record> again = new ArrayList<>();
    List<BulkResponseItem> items = response.items();
    for (int i = 0; i < items.size(); i++) {
      BulkResponseItem item = items.get(i);
      if (item.error() == null) {
        continue;
      }
      if (RetryPolicy.retryableStatus(item.status())) {
        again.add(sent.get(i));
      } else {
        throw new PublishException(
            "OpenSearch refused record '" + item.id() + "' (HTTP " + item.status() + "): " + item.error().type() + ": "
                + item.error().reason());
      }
    }
    return again;
  }

  private static BulkRequest request(String index, List<Record> records) {
    List<BulkOperation> operations = new ArrayList<>(records.size());
    for (Record record : records) {
      Map<String, Object> document = document(record);
      operations.add(BulkOperation.of(o -> o.index(i -> i.index(index).id(record.id()).document(document))));
    }
    return BulkRequest.of(b -> b.operations(operations));
  }

  static Map<String, Object> document(Record record) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put(IndexMappings.VECTOR, record.vector());
    if (record.text() != null) {
      document.put(IndexMappings.TEXT, record.text());
    }
    if (!record.metadata().isEmpty()) {
      document.put(IndexMappings.METADATA, record.metadata());
    }
    return document;
  }
}
