/**
 * The retrieval half of a RAG service on Spring Boot and the Strata starter: properties, the
 * in-process model, ingest, Actuator health.
 */
package dev.strata.examples.boot;
