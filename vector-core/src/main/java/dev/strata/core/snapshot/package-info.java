/**
 * Snapshots as Lucene commits: history, time travel, rollback, export and import archives,
 * verification and recovery of a damaged index.
 */
package dev.strata.core.snapshot;
