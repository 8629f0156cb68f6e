/**
 * The write fence a live migration raises over an index: its file, its holder (an OS lock, never
 * a pid) and the rules for lapsed leases. See docs/design/live-migration.md. Not API: anything
 * here may change in any release.
 */
package dev.strata.core.internal.fence;
