package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayException;

/**
 * Stage 2, inbound decode: the inbound dialect reads the body into the canonical request, validated
 * (400 naming the field), its {@code provider} preferences typed once here; and the request's
 * deadline is read from {@code X-Switchboard-Timeout-Ms} (milliseconds, at most {@code
 * routing.request-timeout-ms}, which is also the deadline without the header). It runs after
 * authentication, so a caller without a valid key never has its body parsed.
 */
final class Decode {

  static final String TIMEOUT_HEADER = "x-switchboard-timeout-ms";

  private final long maxDeadlineMs;

  Decode(long maxDeadlineMs) {
    this.maxDeadlineMs = maxDeadlineMs;
  }

  void run(Exchange ex) {
    ex.deadlineMs(deadline(ex.header(TIMEOUT_HEADER)));
    ex.request(ex.dialect().decode(ex.body(), ex::header));
    ex.body(null); // the canonical request is all the later stages read
  }

  private long deadline(String header) {
    if (header == null) {
      return maxDeadlineMs;
    }
    String value = header.trim();
    long ms = -1;
    if (!value.isEmpty() && value.length() <= 10 && value.chars().allMatch(Character::isDigit)) {
      ms = Long.parseLong(value);
    }
    if (ms < 1 || ms > maxDeadlineMs) {
      throw GatewayException.invalid(
          "X-Switchboard-Timeout-Ms must be a whole number of milliseconds from 1 to "
              + maxDeadlineMs
              + " (routing.request-timeout-ms), was \""
              + header
              + "\"");
    }
    return ms;
  }
}
