/**
 * Spring Boot auto-configuration of the Strata vector store: properties, the in-process model
 * (preloaded while Spring starts), Actuator health, and the Java version check.
 */
package dev.strata.springai.boot;
