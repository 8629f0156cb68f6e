package dev.strata.core.monitor;

/**
 * The running estimate of approximate search recall, from sampled searches re-run exactly.
 *
 * @param recall mean recall@k over the samples (the share of each exact top k the approximate
 *     search also returned), NaN before the first sample
 * @param samples searches measured
 * @param dropped samples not measured because the queue was full or the monitor closed
 * @param failed samples whose exact search failed (logged)
 * @param pending samples waiting for or running their exact search
 */
public record RecallEstimate(double recall, long samples, long dropped, long failed, int pending) {}
