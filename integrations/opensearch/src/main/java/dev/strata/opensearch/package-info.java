/**
 * Publishing a Strata snapshot to OpenSearch (k-NN) behind an alias, with bounded retries.
 */
package dev.strata.opensearch;
