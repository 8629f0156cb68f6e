package dev.strata.core.snapshot;

/**
 * What an export wrote or an import restored.
 *
 * @param snapshotId the snapshot in the archive
 * @param baseSnapshotId for an incremental archive, the snapshot it builds on; otherwise 0
 * @param files index files written into the archive (export) or restored (import)
 * @param bytes their size before compression
 * @param archiveBytes the archive's size on disk
 */
public record ArchiveReport(long snapshotId, long baseSnapshotId, int files, long bytes, long archiveBytes) {}
