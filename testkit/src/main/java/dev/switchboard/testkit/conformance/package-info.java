/**
 * The conformance matrix: {@link dev.switchboard.testkit.conformance.Scenario}s every adapter runs
 * offline against the simulator ({@link dev.switchboard.testkit.conformance.ProviderConformance}),
 * and the renderer of {@code docs/providers/compatibility.md} ({@link
 * dev.switchboard.testkit.conformance.CompatibilityDoc}).
 */
package dev.switchboard.testkit.conformance;
