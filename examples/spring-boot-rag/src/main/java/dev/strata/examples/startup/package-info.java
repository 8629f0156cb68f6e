/**
 * Where the example service's start-up goes, with Strata and without ({@code bin/bench
 * boot-startup}); kept out of {@code dev.strata.examples.boot} so its component scan leaves it out.
 */
package dev.strata.examples.startup;
