package dev.strata.opensearch;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests an {@link OpenSearchTestNode} parameter: one node for the whole test run, started on
 * first use and stopped when the run ends. Set {@code -Dstrata.opensearch.skip=true} to skip these
 * tests on a machine that cannot run OpenSearch (they are part of CI and bin/test).
 */
public final class OpenSearchNodeExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OpenSearchNodeExtension.class);

  /** Holds the node, or why it did not start, so a failed start is not retried by every test. */
  private record Started(OpenSearchTestNode node, RuntimeException failure) implements AutoCloseable {
    @Override
    public void close() {
      if (node != null) {
        node.close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OpenSearchTestNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        Boolean.getBoolean("strata.opensearch.skip"), "OpenSearch tests skipped: -Dstrata.opensearch.skip=true");
    Started started = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Started.class, k -> start(), Started.class);
    if (started.failure() != null) {
      throw started.failure();
    }
    return started.node();
  }

  private static Started start() {
    try {
      return new Started(OpenSearchTestNode.start(), null);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new Started(null, new IllegalStateException("the OpenSearch test node did not start: " + e.getMessage(), e));
    }
  }
}
