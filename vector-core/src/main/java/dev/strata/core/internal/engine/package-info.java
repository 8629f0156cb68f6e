/**
 * One open index: the engine behind the facade, its writer slot, write path, merges and graph
 * builds, readers, metrics and periodic work. Not API: anything here may change in any release.
 */
package dev.strata.core.internal.engine;
