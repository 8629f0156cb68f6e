/**
 * Distance kernels: the Vector API (jdk.incubator.vector) where it is enabled, plain Java otherwise.
 */
package dev.strata.core.kernels;
