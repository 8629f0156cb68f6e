/**
 * Strata's values: records, schemas, options, requests, results, fingerprints and exceptions, which
 * {@link dev.strata.core.index.VectorIndex} and every room of Strata take and return. They depend
 * on nothing of Strata's but its distance kernels, so that every other package can use them
 * without a loop.
 */
package dev.strata.core;
