/**
 * {@code index-admin}, the operator's CLI (picocli): ingest, search, rebuild, compact, snapshots,
 * aliases, verify, monitor. Its commands, flags, exit codes and JSON fields are public contracts
 * (docs/cli-reference.md).
 */
package dev.strata.admin;
