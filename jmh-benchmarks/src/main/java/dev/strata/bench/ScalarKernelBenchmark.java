package dev.strata.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link KernelBenchmark} in forks whose kernels are forced to the scalar provider: the Vector
 * API's gain is the ratio of the two classes' {@code strata*} rows (the {@code lucene*} rows repeat
 * as a reference for drift between the runs).
 */
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g", "-Dstrata.kernels=scalar"})
public class ScalarKernelBenchmark extends KernelBenchmark {}
