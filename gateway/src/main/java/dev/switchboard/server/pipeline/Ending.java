package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.routing.Attempt;

/**
 * How a request ended, whatever its dialect and whether it streamed: what stages 7 to 9 (after the
 * model, settle, reply) work from. {@code served} is the attempt whose output reached the client
 * (null when none did) and {@code production} what it produced.
 */
public sealed interface Ending {

  /** Answered in full. */
  record Answered(Attempt served, Production production) implements Ending {}

  /**
   * No answer: every candidate failed, or the serving attempt failed after its first output reached
   * the client (then {@code served} names it and the client gets an in-band error).
   */
  record Failed(GatewayError error, Attempt served, Production production) implements Ending {}

  /** The client went away before the answer ended. */
  record ClientGone(Attempt served, Production production) implements Ending {}

  /** Refused before any attempt: the body, the key, decoding, admission, plugins or planning. */
  record Refused(GatewayError error) implements Ending {}
}
