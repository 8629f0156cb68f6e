/**
 * Implementation of the index on Lucene. Not API: anything here may change in any release. Code
 * outside vector-core uses the types in {@code dev.strata.core} only.
 */
package dev.strata.core.internal;
