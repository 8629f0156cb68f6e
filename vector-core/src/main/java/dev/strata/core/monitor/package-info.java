/**
 * Retrieval drift monitoring: rolling statistics of search results against a baseline, sampled
 * recall against exact search, and a circuit breaker.
 */
package dev.strata.core.monitor;
