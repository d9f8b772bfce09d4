package dev.switchboard.server.limits;

/**
 * Which limit refused a request: the {@code error.metadata.limit_source} value, and the status it
 * answers with. Money the caller has not got is a 402 (reference §12.1); a policy budget that is
 * spent blocks with a 403 {@code Request blocked: ...} (reference §2.3, checklist 54).
 */
public enum LimitSource {
  /** The organisation's credit balance. */
  CREDITS("credits", 402),
  /** The key's own {@code limit}. */
  KEY_LIMIT("key_limit", 402),
  /** A guardrail's USD budget. */
  GUARDRAIL("guardrail", 403),
  /** The budget of one {@code user} value. */
  USER_BUDGET("user_budget", 403),
  /** The budget of one {@code session_id}. */
  SESSION_BUDGET("session_budget", 403),
  /** Reservations of requests in flight fill a budget that the request alone would fit. */
  IN_FLIGHT("in_flight_budget", 402);

  private final String wire;
  private final int status;

  LimitSource(String wire, int status) {
    this.wire = wire;
    this.status = status;
  }

  public String wire() {
    return wire;
  }

  public int status() {
    return status;
  }
}
