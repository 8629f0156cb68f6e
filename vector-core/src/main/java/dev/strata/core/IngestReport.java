package dev.strata.core;


/**
 * What one {@link dev.strata.core.index.VectorIndex#ingest} call did with its batch.
 *
 * @param accepted records validated and buffered (durable at the next commit)
 * @param rejected records refused, each one told to the {@link RejectListener}
 */
public record IngestReport(int accepted, int rejected) {}
