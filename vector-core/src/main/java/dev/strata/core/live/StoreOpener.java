package dev.strata.core.live;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How a framework adapter's store (LangChain4j, Spring AI) gets its index, the same way for every
 * adapter: exactly one of a path, an alias file or an index the caller opened; at a path, an index
 * is created only when the adapter asks for it ({@link #createWith}); then the adapter's check
 * (its model against the index's), and an index this opened is closed again if the check fails.
 *
 * <pre>{@code
 * LiveIndex live = StoreOpener.builder().path(dir).createWith(() -> schema)
 *     .options(options).commitPolicy(policy).check(index -> index.requireModel(fp, 384, "my store"))
 *     .open();
 * }</pre>
 */
public final class StoreOpener {
  private Path path;
  private Path alias;
  private VectorIndex index;
  private Supplier<IndexSchema> schemaToCreate;
  private IndexOptions options = IndexOptions.DEFAULTS;
  private CommitPolicy policy = CommitPolicy.everyCall();
  private Consumer<VectorIndex> check = index -> {};

  private StoreOpener() {}

  /** A builder with nothing chosen yet. */
  public static StoreOpener builder() {
    return new StoreOpener();
  }

  /** The index directory (null: not this way). */
  public StoreOpener path(Path path) {
    this.path = path;
    return this;
  }

  /** An alias file naming the index; the store follows it through a live migration (null: not this way). */
  public StoreOpener alias(Path aliasFile) {
    this.alias = aliasFile;
    return this;
  }

  /** An index the caller opened and will close (null: not this way). */
  public StoreOpener index(VectorIndex index) {
    this.index = index;
    return this;
  }

  /**
   * At a {@link #path} with no index yet, create one with this schema (an index already there must
   * match it); null, the default, refuses a path without an index ({@link
   * dev.strata.core.IndexNotFoundException}), so a mistyped path fails instead of serving an empty
   * index.
   */
  public StoreOpener createWith(Supplier<IndexSchema> schema) {
    this.schemaToCreate = schema;
    return this;
  }

  /** Options of an index this opens (default {@link IndexOptions#DEFAULTS}). */
  public StoreOpener options(IndexOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    return this;
  }

  /** When writes are committed (default every call). */
  public StoreOpener commitPolicy(CommitPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** Runs on the index before the store takes it, e.g. that it holds this model's vectors; may throw. */
  public StoreOpener check(Consumer<VectorIndex> check) {
    this.check = Objects.requireNonNull(check, "check");
    return this;
  }

  /**
   * The live index, checked; an {@link IllegalStateException} unless exactly one of path, alias
   * and index was given; whatever the check throws, after closing an index this opened.
   */
  public LiveIndex open() {
    if ((path != null ? 1 : 0) + (alias != null ? 1 : 0) + (index != null ? 1 : 0) != 1) {
      throw new IllegalStateException("give exactly one of path, alias and index");
    }
    if (index != null) {
      check.accept(index);
      return LiveIndex.of(index, policy);
    }
    LiveIndex live;
    if (alias != null) {
      live = LiveIndex.openAlias(alias, options, policy);
    } else if (schemaToCreate != null) {
      live = LiveIndex.openOrCreate(path, schemaToCreate.get(), options, policy);
    } else {
      live = LiveIndex.open(path, options, policy);
    }
    try {
      check.accept(live.index());
      return live;
    } catch (RuntimeException | Error e) {
      live.close();
      throw e;
    }
  }
}
