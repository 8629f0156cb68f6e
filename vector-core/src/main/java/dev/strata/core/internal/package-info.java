/**
 * Implementation of the index on Lucene, in rooms that point one way: {@code io} at the bottom;
 * {@code fence}, {@code records}, {@code catalog} above it; {@code codecs} and {@code search} above
 * those; {@code engine} on top. Not API: anything here may change in any release. Code outside
 * vector-core uses the types in {@code dev.strata.core} only.
 */
package dev.strata.core.internal;
