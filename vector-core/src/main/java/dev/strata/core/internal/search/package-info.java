/**
 * Searching one snapshot: the searcher, the HNSW graph walk, exact kNN, filters, fusion,
 * deadlines, hits read from doc values, search meters. Not API: anything here may change in any
 * release.
 */
package dev.strata.core.internal.search;
