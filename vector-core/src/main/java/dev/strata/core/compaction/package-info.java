/**
 * Compaction: merging segments and expunging deletes by policy, on demand or on a schedule.
 */
package dev.strata.core.compaction;
