package dev.strata.core;

/**
 * Where a record in an index came from: the snapshot whose commit last wrote it, the source label
 * it was written with, and the model its vector was made by. Read from doc values, so a search
 * that asks for it ({@link SearchRequest.Builder#provenance}) costs no stored-field read.
 *
 * @param writtenIn the id of the snapshot that last wrote the record (an upsert, a revert or a
 *     rebuild's copy in this index); 0 for a record written before Strata kept provenance
 * @param source the record's source label ({@link Record#source}), or {@code null} if it had none
 * @param model the index's model fingerprint as its schema records it ({@link
 *     IndexSchema#modelFingerprint}), or {@code null} for an index without one
 */
public record Provenance(long writtenIn, String source, String model) {}
