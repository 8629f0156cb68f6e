package dev.strata.embedder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.strata.core.AdmissionControl;
import dev.strata.core.Embedder;
import dev.strata.core.Embeddings;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.StrataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sentence embeddings with ONNX Runtime and a HuggingFace tokenizer, in-process. Thread-safe: one
 * session serves concurrent callers. Owns a native session and tokenizer: close it.
 *
 * <p>A call tokenizes every text (truncating at the model's maximum sequence length), queues them
 * shortest first, and waits for their vectors in input order. Worker threads ({@link
 * EmbedderOptions#threads()}) run the waiting texts in batches cut by the token budget, texts of
 * concurrent calls sharing a run where the model's vectors do not depend on their batch ({@link
 * EmbedQueue}), so fifty callers with one short query each make a few runs, not fifty. Every tensor and result is closed as soon
 * as it has been read, so native memory stays flat over long runs.
 */
public final class OnnxEmbedder implements Embedder {
  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final ModelFingerprint fingerprint;
  private final EmbeddingSettings settings;
  private final EmbedderOptions options;
  private final AdmissionControl admission;
  private final OrtEnvironment env;
  private final ExecutionProviders.Session session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean wantsTokenTypes;
  private final int dimension;
  private final int maxBatchSize;
  private final EmbedQueue queue;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxEmbedder(ModelBundle bundle, EmbedderOptions options) throws OrtException, IOException {
    this.fingerprint = bundle.fingerprint();
    this.settings = bundle.settings();
    this.options = options;
    NativeLibraries.prepare();
    this.env = OrtEnvironment.getEnvironment();
    this.session = ExecutionProviders.open(env, bundle, options);
    try {
      Map<String, String> tokenizerOptions = new HashMap<>();
      tokenizerOptions.put("truncation", "true");
      tokenizerOptions.put("padding", "false");
      tokenizerOptions.put("maxLength", Integer.toString(settings.maxSequenceLength()));
      tokenizerOptions.put("addSpecialTokens", "true");
      this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bundle.tokenizer()), tokenizerOptions);
      Map<String, NodeInfo> inputs = session.session().getInputInfo();
      if (!inputs.containsKey(INPUT_IDS) || !inputs.containsKey(ATTENTION_MASK)) {
        throw new IllegalArgumentException(
            "model " + bundle.name() + " takes inputs " + inputs.keySet() + "; expected input_ids and attention_mask");
      }
      this.wantsTokenTypes = inputs.containsKey(TOKEN_TYPE_IDS);
      this.dimension = outputDimension(bundle.name(), session.session());
      this.maxBatchSize = batchSize(bundle, options);
      this.admission = new AdmissionControl("embeddings of " + bundle.fingerprint().shortForm(),
          options.admissionFor(maxBatchSize > 1));
      this.queue = new EmbedQueue(this::run, options.threads(), maxBatchSize, options.tokenBudget(), daemonThreads(bundle.name()));
    } catch (IOException | OrtException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Loads the model with default options (CUDA if it works here, else CPU; all cores). */
  public static OnnxEmbedder create(ModelBundle bundle) {
    return create(bundle, EmbedderOptions.DEFAULTS);
  }

  /** Loads the model with {@code options}; a {@link StrataException} says why it cannot. */
  public static OnnxEmbedder create(ModelBundle bundle, EmbedderOptions options) {
    try {
      return new OnnxEmbedder(bundle, options);
    } catch (OrtException | IOException e) {
      throw new StrataException("cannot load model " + bundle.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public ModelFingerprint fingerprint() {
    return fingerprint;
  }

  /** The execution provider actually in use: CPU or CUDA, never AUTO. */
  public Device device() {
    return session.device();
  }

  /** Pooling, normalisation and sequence length: how token vectors become one vector. */
  public EmbeddingSettings settings() {
    return settings;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return embedCountingTokens(texts).vectors();
  }

  /** The vectors and the word pieces the model read (after truncation, [CLS] and [SEP] included). */
  @Override
  public Embeddings embedCountingTokens(List<String> texts) {
    ensureOpen();
    if (texts.isEmpty()) {
      return new Embeddings(List.of(), 0);
    }
    try (AdmissionControl.Permit ignored = admission.enter(Long.MAX_VALUE, null)) {
      return embedAdmitted(texts);
    }
  }

  /** Characters kept per word piece the model reads: far more than any word piece is long. */
  static final int CHARS_PER_WORD_PIECE = 64;

  /**
   * The model reads at most {@code maxSequenceLength} word pieces of a text, so tokenizing a
   * megabyte of it only to drop all but the first few hundred pieces costs time and memory for
   * nothing (a flood of such texts is how an embedder runs out of heap). A text is cut to 64
   * characters per piece the model reads before it is tokenized: no word piece is that long, so
   * the pieces the model reads, and the vector, are the same.
   */
  String cutBeforeTokenizing(String text) {
    int keep = settings.maxSequenceLength() * CHARS_PER_WORD_PIECE;
    if (text.length() <= keep) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(keep - 1)) ? keep - 1 : keep; // never half a character
    return text.substring(0, end);
  }

  /** How embed calls are admitted now: running, queued, refused ({@link EmbedderOptions#admission()}). */
  public AdmissionControl admission() {
    return admission;
  }

  private Embeddings embedAdmitted(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts.stream().map(this::cutBeforeTokenizing).toArray(String[]::new));
    int[] lengths = Arrays.stream(encodings).mapToInt(e -> e.getIds().length).toArray();
    EmbedQueue.Call call = queue.submit(lengths, encodings, EmbedQueue.shortestFirst(lengths));
    try {
      return new Embeddings(Arrays.asList(call.await()), Arrays.stream(lengths).asLongStream().sum());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StrataException("interrupted while embedding " + texts.size() + " texts", e);
    } catch (IllegalStateException e) {
      throw e; // closed meanwhile
    } catch (Exception e) {
      throw new StrataException("ONNX Runtime failed embedding " + texts.size() + " texts with " + fingerprint.shortForm()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs and texts run so far: texts per run is the batch that concurrent calls share (one for a
   * dynamically quantized model, which runs one text at a time).
   */
  public long[] runsAndTexts() {
    return queue.runsAndTexts();
  }

  /** One run of the model over texts from one or several calls. */
  private void run(List<EmbedQueue.Text> texts, float[][] out) throws OrtException {
    int sequence = 0;
    for (EmbedQueue.Text text : texts) {
      sequence = Math.max(sequence, text.length());
    }
    int n = texts.size();
    long[] shape = {n, sequence};
    LongBuffer ids = LongBuffer.allocate(n * sequence);
    LongBuffer mask = LongBuffer.allocate(n * sequence);
    LongBuffer types = LongBuffer.allocate(n * sequence);
    long[][] masks = new long[n][];
    for (int b = 0; b < n; b++) {
      Encoding e = (Encoding) texts.get(b).encoding();
      int offset = b * sequence; // zero padding after each text: the buffers start zeroed
      ids.put(offset, e.getIds());
      mask.put(offset, e.getAttentionMask());
      types.put(offset, e.getTypeIds());
      masks[b] = Arrays.copyOf(e.getAttentionMask(), sequence);
    }
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, ids, shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, shape);
        OnnxTensor typesTensor = wantsTokenTypes ? OnnxTensor.createTensor(env, types, shape) : null) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put(INPUT_IDS, idsTensor);
      inputs.put(ATTENTION_MASK, maskTensor);
      if (typesTensor != null) {
        inputs.put(TOKEN_TYPE_IDS, typesTensor);
      }
      try (OrtSession.Result result = session.session().run(inputs)) {
        FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        for (int b = 0; b < n; b++) {
          out[b] = Pooler.pool(hidden, b, sequence, dimension, masks[b], settings);
        }
      }
    }
  }

  /**
   * A dynamically quantized model scales its activations by the range of the whole input tensor,
   * so a text's vector would depend on the other texts in its batch (cosine about 0.99 measured on
   * all-MiniLM-L6-v2-q). The same text must always give the same vector: such models run one text
   * at a time.
   */
  private static int batchSize(ModelBundle bundle, EmbedderOptions options) {
    if (options.maxBatchSize() > 1 && usesDynamicQuantization(bundle.model())) {
      System.getLogger(OnnxEmbedder.class.getName())
          .log(
              System.Logger.Level.INFO,
              "embedder {0}: dynamically quantized model, embedding one text per run so a text''s"
                  + " vector never depends on its batch",
              bundle.name());
      return 1;
    }
    return options.maxBatchSize();
  }

  /** ONNX stores operator names as plain strings, so a byte search finds the operator. */
  static boolean usesDynamicQuantization(byte[] model) {
    byte[] op = "DynamicQuantizeLinear".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i <= model.length - op.length; i++) {
      for (int j = 0; j < op.length; j++) {
        if (model[i + j] != op[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static int outputDimension(String name, OrtSession session) throws OrtException {
    NodeInfo output = session.getOutputInfo().values().iterator().next();
    if (output.getInfo() instanceof TensorInfo tensor && tensor.getShape().length == 3 && tensor.getShape()[2] > 0) {
      return (int) tensor.getShape()[2];
    }
    throw new IllegalArgumentException(
        "model " + name + ": first output " + output.getName() + " is " + output.getInfo()
            + "; expected token vectors [batch, sequence, dimension]");
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("embedder " + fingerprint.shortForm() + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      queue.close();
      tokenizer.close();
      session.close();
    }
  }

  private static ThreadFactory daemonThreads(String model) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "strata-embedder-" + model + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "OnnxEmbedder[" + fingerprint.shortForm() + ", " + dimension + "d, " + device() + ", " + settings + "]";
  }
}
