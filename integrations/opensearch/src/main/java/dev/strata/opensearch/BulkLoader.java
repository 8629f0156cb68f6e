package dev.strata.opensearch;

import dev.strata.core.Record;
import dev.strata.core.snapshot.SnapshotView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
  private final int concurrency;
  private final AtomicLong loaded = new AtomicLong();
  private final AtomicInteger requests = new AtomicInteger();

  BulkLoader(OpenSearchClient client, RemoteRetrier retrier, PublishListener listener, int batchSize, int concurrency) {
    this.client = client;
    this.retrier = retrier;
    this.listener = listener;
    this.batchSize = batchSize;
    this.concurrency = concurrency;
  }

  /**
   * Loads every live record of {@code view} into {@code index}; returns how many. Up to {@code
   * concurrency} requests are in flight, so the cluster indexes one batch while the next is read
   * and encoded; the first batch that fails for good stops the load.
   */
  long load(SnapshotView view, String index) {
    long total = view.liveCount();
    ExecutorService senders = Executors.newFixedThreadPool(concurrency, runnable -> {
      Thread t = new Thread(runnable, "strata-publish-" + index);
      t.setDaemon(true);
      return t;
    });
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    List<Record> batch = new ArrayList<>(batchSize);
    try {
      view.forEachRecord(record -> {
        batch.add(record);
        if (batch.size() == batchSize) {
          submit(senders, inFlight, failure, index, List.copyOf(batch), total);
          batch.clear();
        }
      });
      if (!batch.isEmpty()) {
        submit(senders, inFlight, failure, index, List.copyOf(batch), total);
      }
    } finally {
      // Wait for the requests in flight even on failure: one still running when the caller deletes
      // the index would bring it back, auto-created with a guessed mapping.
      inFlight.acquireUninterruptibly(concurrency);
      senders.shutdown();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return loaded.get();
  }

  private void submit(
      ExecutorService senders, Semaphore inFlight, AtomicReference<RuntimeException> failure, String index,
      List<Record> records, long total) {
    inFlight.acquireUninterruptibly();
    if (failure.get() != null) {
      inFlight.release();
      throw failure.get();
    }
    long first = loaded.get() + 1; // for messages only: concurrent batches may overlap in it
    senders.execute(() -> {
      try {
        send(index, records, first, total, failure);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      } finally {
        inFlight.release();
      }
    });
  }

  /** Bulk requests sent, retries included. */
  int requests() {
    return requests.get();
  }

  /** Sends one batch, retrying under the policy, until done, failed, or another batch failed. */
  private void send(String index, List<Record> records, long first, long total, AtomicReference<RuntimeException> elsewhere) {
    List<Record> pending = records;
    String what = "bulk load of " + records.size() + " records from '" + records.get(0).id() + "' (about record " + first
        + " of " + total + ") into '" + index + "'";
    for (int attempt = 1; elsewhere.get() == null; attempt++) {
      RemoteRetrier.Failure failure;
      try {
        requests.incrementAndGet();
        BulkResponse response = client.bulk(request(index, pending));
        List<Record> refused = overloaded(response, pending);
        listener.loaded(loaded.addAndGet(pending.size() - refused.size()), total);
        if (refused.isEmpty()) {
          return;
        }
        failure = new RemoteRetrier.Failure(
            429, refused.size() + " of " + pending.size() + " records refused for overload (HTTP 429/503)", true);
        pending = refused;
      } catch (IOException | OpenSearchException e) {
        failure = RemoteRetrier.judge(e);
      }
      retrier.afterFailure(what, attempt, failure);
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
