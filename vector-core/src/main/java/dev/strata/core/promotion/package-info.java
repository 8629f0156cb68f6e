/**
 * Golden-set checks that gate promoting a new index behind an alias.
 */
package dev.strata.core.promotion;
