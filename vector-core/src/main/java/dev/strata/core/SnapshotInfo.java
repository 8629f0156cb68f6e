package dev.strata.core;

import java.time.Instant;

/**
 * A committed, durable state of an index. Recorded in the Lucene commit's user data.
 *
 * @param id increasing number of this snapshot, 1 for the empty index made by {@code create}
 * @param parentId the snapshot this one was made from, 0 for the first
 * @param createdAt when the commit was made
 * @param liveCount records visible in this snapshot
 * @param message what the writer said about it
 * @param recordDigest order-independent digest of every live record (16 hex digits), or
 *     {@code null} for a snapshot written before digests existed
 * @param sourceSha256 SHA-256 of the dataset the writer said this snapshot was built from, or
 *     {@code null}
 */
public record SnapshotInfo(
    long id,
    long parentId,
    Instant createdAt,
    long liveCount,
    String message,
    String recordDigest,
    String sourceSha256) {}
