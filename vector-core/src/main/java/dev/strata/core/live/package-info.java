/**
 * {@code LiveIndex}: an index written to by a service, with a commit policy (every call with group
 * commit, an interval, a record count, or explicit) and fence-aware replay.
 */
package dev.strata.core.live;
