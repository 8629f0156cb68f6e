package dev.strata.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a seeded corpus for {@code bin/demo}: records in five topics, each topic a cluster of
 * vectors around its own centroid, as JSONL for {@code index-admin ingest}, plus a query vector
 * near one topic's centroid. A few deliberately bad lines show how ingest reports rejects.
 *
 * <p>The vectors are synthetic until the embedder module makes real ones from the text.
 *
 * <p>Usage: {@code SyntheticCorpus OUT_DIR [RECORDS] [DIM]}; writes {@code corpus.jsonl} and
 * {@code query-astronomy.json}.
 */
public final class SyntheticCorpus {
  static final String[] TOPICS = {"astronomy", "baking", "databases", "music", "sailing"};
  static final long SEED = 20261128L;

  private SyntheticCorpus() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int dim = args.length > 2 ? Integer.parseInt(args[2]) : 384;
    write(out, records, dim);
    System.out.printf("wrote %d records (%d-d) and a query to %s%n", records, dim, out);
  }

  public static void write(Path dir, int records, int dim) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(SEED);
    float[][] centroids = new float[TOPICS.length][dim];
    for (float[] c : centroids) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) random.nextGaussian();
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      for (int n = 0; n < records; n++) {
        int topic = n % TOPICS.length;
        float[] v = around(centroids[topic], random, 0.8f);
        int year = 2015 + random.nextInt(11);
        w.write(String.format(Locale.ROOT,
            "{\"id\":\"%s-%d\",\"vector\":%s,\"text\":\"Passage %d about %s, written in %d.\",\"metadata\":{\"topic\":\"%s\",\"year\":%d}}%n",
            TOPICS[topic], n, json(v), n, TOPICS[topic], year, TOPICS[topic], year));
      }
      // What a real pipeline sends now and then: each of these is reported, none stops the rest.
      w.write("{\"id\":\"truncated-1\",\"vector\":[0.1,0.2]}\n");
      w.write("{\"id\":\"nan-1\",\"vector\":[" + "0,".repeat(dim - 1) + "1e999]}\n");
      w.write("{\"id\": \"cut-off-mid-line\", \"vec\n");
    }
    Files.writeString(dir.resolve("query-astronomy.json"), json(around(centroids[0], random, 0.3f)));
  }

  private static float[] around(float[] centroid, Random random, float spread) {
    float[] v = new float[centroid.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = centroid[i] + spread * (float) random.nextGaussian();
    }
    return v;
  }

  private static String json(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 10).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(v[i]);
    }
    return sb.append(']').toString();
  }
}
