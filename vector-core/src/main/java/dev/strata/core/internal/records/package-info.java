/**
 * Records as Lucene documents: validation, the fields written, hit values, metadata types, per-
 * record hashes, provenance doc values and the model drift guard. Not API: anything here may
 * change in any release.
 */
package dev.strata.core.internal.records;
