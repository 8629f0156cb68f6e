/**
 * How segments are written and merged: the codec, deferred graphs, merge policies and scheduler,
 * retention of commits, bulk-load flushes. Not API: anything here may change in any release.
 */
package dev.strata.core.internal.codecs;
