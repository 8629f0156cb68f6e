/**
 * JMH benchmarks and whole-program harnesses (ANN against hnswlib, flood, snapshots, swaps,
 * start-up...). Results and their commands: docs/BENCHMARKS.md.
 */
package dev.strata.bench;
