/**
 * Files, directories and threads: checksummed small files, counting and sync-once directories,
 * disk room, daemon threads, failure messages. Depends on nothing else of Strata's internals. Not
 * API: anything here may change in any release.
 */
package dev.strata.core.internal.io;
