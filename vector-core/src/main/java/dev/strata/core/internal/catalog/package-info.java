/**
 * What each commit records: the snapshot manifest, commit points and the committed head, tags,
 * persistent counters, the writer's identity and segment checksums. Not API: anything here may
 * change in any release.
 */
package dev.strata.core.internal.catalog;
