/**
 * Serving: aliases and their compare-and-set moves, blue/green rebuilds, live migration behind a
 * write fence (docs/design/live-migration.md), and searcher handles that swap without a failed query.
 */
package dev.strata.core.serving;
