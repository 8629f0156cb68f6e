package dev.strata.springai.boot;

import dev.strata.core.VectorEncoding;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * spring.ai.vectorstore.strata.*: where the index is, which model embeds into it, and when
 * writes are committed.
 */
@ConfigurationProperties(StrataVectorStoreProperties.PREFIX)
public class StrataVectorStoreProperties {
  /** The prefix of every property here. */
  public static final String PREFIX = "spring.ai.vectorstore.strata";

  /** The index directory. Exactly one of path and alias. */
  private Path path;

  /** An alias file naming the index; the store follows it through a live migration. */
  private Path alias;

  /**
   * Create the index at path if there is none. Off by default, as in Spring AI's other
   * stores: a mistyped path then fails at start-up instead of serving an empty index.
   */
  private boolean initializeSchema;

  /**
   * Strata's in-process model: default (all-MiniLM-L6-v2, quantized), default-fp32,
   * or a directory with model.onnx and tokenizer.json. Needs dev.strata:embedder on the
   * classpath. When unset, the application's Spring AI EmbeddingModel bean embeds.
   */
  private String model;

  /**
   * Whether Strata's in-process model starts loading on a background thread as soon as the
   * application's properties are read, overlapping Spring's own start-up (default true).
   */
  private boolean preloadModel = true;

  /**
   * The Spring AI model's name as its provider versions it (e.g. text-embedding-3-small). Required
   * with a Spring AI model: the index records it and refuses any other.
   */
  private String modelName;

  /** The Spring AI model's vector dimension; when 0 the model is asked (which may embed a probe). */
  private int dimensions;

  /** Vector encoding of an index created here: float32, int8, int4 or binary. */
  private VectorEncoding encoding = VectorEncoding.FLOAT32;

  /**
   * When writes are committed: every-call (each add or delete returns durable, concurrent calls
   * share a commit), interval:1s, records:500 or explicit.
   */
  private String commitPolicy = "every-call";

  /** Derive each document's id from its text and metadata, so a re-run ingest replaces instead of adding. */
  private boolean idsFromContent;

  /** Open the index for searching only; it follows the writer's commits within refresh-interval. */
  private boolean readOnly;

  /** How often a read-only store looks for the writer's commits; 0 never. */
  private Duration refreshInterval = Duration.ofSeconds(1);

  /** Searches of the index that run at once; unset: processors + 1. Beyond it and the queue, a search is refused at once. */
  private Integer searchMaxRunning;

  /** Searches that may wait behind the running ones; unset: 16 per processor; 0 refuses whenever all run. */
  private Integer searchMaxQueued;

  /** Embed calls of Strata's in-process model at once; unset: 2 per processor (16 per thread for the fp32 model). */
  private Integer embedMaxRunning;

  /** Embed calls that may wait behind the running ones; unset: 3 per processor; 0 refuses whenever all run. */
  private Integer embedMaxQueued;

  public Integer getEmbedMaxRunning() {
    return embedMaxRunning;
  }

  public void setEmbedMaxRunning(Integer embedMaxRunning) {
    this.embedMaxRunning = embedMaxRunning;
  }

  public Integer getEmbedMaxQueued() {
    return embedMaxQueued;
  }

  public void setEmbedMaxQueued(Integer embedMaxQueued) {
    this.embedMaxQueued = embedMaxQueued;
  }

  public Integer getSearchMaxRunning() {
    return searchMaxRunning;
  }

  public void setSearchMaxRunning(Integer searchMaxRunning) {
    this.searchMaxRunning = searchMaxRunning;
  }

  public Integer getSearchMaxQueued() {
    return searchMaxQueued;
  }

  public void setSearchMaxQueued(Integer searchMaxQueued) {
    this.searchMaxQueued = searchMaxQueued;
  }

  public Path getPath() {
    return path;
  }

  public void setPath(Path path) {
    this.path = path;
  }

  public Path getAlias() {
    return alias;
  }

  public void setAlias(Path alias) {
    this.alias = alias;
  }

  public boolean isInitializeSchema() {
    return initializeSchema;
  }

  public void setInitializeSchema(boolean initializeSchema) {
    this.initializeSchema = initializeSchema;
  }

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public boolean isPreloadModel() {
    return preloadModel;
  }

  public void setPreloadModel(boolean preloadModel) {
    this.preloadModel = preloadModel;
  }

  public String getModelName() {
    return modelName;
  }

  public void setModelName(String modelName) {
    this.modelName = modelName;
  }

  public int getDimensions() {
    return dimensions;
  }

  public void setDimensions(int dimensions) {
    this.dimensions = dimensions;
  }

  public VectorEncoding getEncoding() {
    return encoding;
  }

  public void setEncoding(VectorEncoding encoding) {
    this.encoding = encoding;
  }

  public String getCommitPolicy() {
    return commitPolicy;
  }

  public void setCommitPolicy(String commitPolicy) {
    this.commitPolicy = commitPolicy;
  }

  public boolean isIdsFromContent() {
    return idsFromContent;
  }

  public void setIdsFromContent(boolean idsFromContent) {
    this.idsFromContent = idsFromContent;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  public void setReadOnly(boolean readOnly) {
    this.readOnly = readOnly;
  }

  public Duration getRefreshInterval() {
    return refreshInterval;
  }

  public void setRefreshInterval(Duration refreshInterval) {
    this.refreshInterval = refreshInterval;
  }
}
