/**
 * The conformance matrix: {@link dev.switchboard.testkit.conformance.Scenario}s every adapter runs
 * offline against the simulator ({@link dev.switchboard.testkit.conformance.ProviderConformance}),
 * the inbound dimension's cells ({@link dev.switchboard.testkit.conformance.InboundResult}, written
 * by the gateway's inbound conformance tests), and the one renderer of {@code
 * docs/providers/compatibility.md} ({@link dev.switchboard.testkit.conformance.CompatibilityDoc})
 * for both.
 */
package dev.switchboard.testkit.conformance;
