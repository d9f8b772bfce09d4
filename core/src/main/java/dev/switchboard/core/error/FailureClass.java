package dev.switchboard.core.error;

/**
 * The closed set of ways a request can fail. Adapters classify upstream failures into it once; the
 * attempt loop asks it whether to retry or move on; the edge renders it once.
 */
public enum FailureClass {
  // The caller's side.
  INVALID_REQUEST(400, "invalid_request", false, false, true),
  UNAUTHENTICATED(401, "authentication", false, false, true),
  INSUFFICIENT_CREDITS(402, "payment_required", false, false, true),
  FORBIDDEN(403, "permission_denied", false, false, true),
  NOT_FOUND(404, "not_found", false, false, true),
  PAYLOAD_TOO_LARGE(413, "payload_too_large", false, false, true),
  UNSUPPORTED_MEDIA_TYPE(415, "invalid_request", false, false, true),
  RATE_LIMITED(429, "rate_limit_exceeded", false, false, true),
  CLIENT_CLOSED(499, "cancelled", false, false, true),

  // The upstream's side.
  UPSTREAM_INVALID_REQUEST(400, "invalid_request", false, false, true),
  UPSTREAM_CREDENTIAL(502, "provider_unavailable", false, true, false),
  UPSTREAM_MODEL_UNAVAILABLE(404, "not_found", false, true, false),
  // The upstream account's quota or billing, not the caller's credits: rendered 502 so clients do
  // not read it as "add credits here".
  UPSTREAM_QUOTA(502, "provider_unavailable", false, true, false),
  UPSTREAM_RATE_LIMITED(429, "rate_limit_exceeded", true, true, false),
  CONTEXT_TOO_LONG(400, "context_length_exceeded", false, true, true),
  // This endpoint lacks a feature the request asks for (another endpoint of the same model may
  // have it): the next candidate is tried and the endpoint's health is untouched.
  ENDPOINT_LACKS_FEATURE(400, "invalid_request", false, true, true),
  CONTENT_FILTERED(403, "content_policy_violation", false, false, true),
  UPSTREAM_OVERLOADED(503, "provider_overloaded", true, true, false),
  UPSTREAM_TRANSIENT(502, "provider_unavailable", true, true, false),
  UPSTREAM_BAD_RESPONSE(502, "provider_unavailable", false, true, false),
  TIMEOUT(408, "timeout", false, true, false),

  // Routing and internal.
  NO_ROUTE(404, "not_found", false, false, false),
  // The gateway itself is at a configured limit (the media fetch pool, the media memory budget)
  // or cannot reach what its limits need (a cluster's Redis):
  // 503 with Retry-After, typed like an overloaded provider so that clients back off and retry.
  GATEWAY_BUSY(503, "provider_overloaded", false, false, false),
  // The gateway is stopping and its drain time ran out while the request was still in flight.
  SHUTTING_DOWN(503, "server", false, false, false),
  // The database cannot be reached (a cluster's PostgreSQL is down), or the records buffered while
  // it is down have filled their bound: 503 until it answers again.
  STORAGE_UNAVAILABLE(503, "server", false, false, false),
  INTERNAL(500, "server", false, false, false);

  private final int httpStatus;
  private final String errorType;
  private final boolean retriesSameEndpoint;
  private final boolean triesNextCandidate;
  private final boolean callerFault;

  FailureClass(
      int httpStatus,
      String errorType,
      boolean retriesSameEndpoint,
      boolean triesNextCandidate,
      boolean callerFault) {
    this.httpStatus = httpStatus;
    this.errorType = errorType;
    this.retriesSameEndpoint = retriesSameEndpoint;
    this.triesNextCandidate = triesNextCandidate;
    this.callerFault = callerFault;
  }

  /** The HTTP status this failure is rendered with, unless the error names another. */
  public int httpStatus() {
    return httpStatus;
  }

  /** OpenRouter's typed {@code error_type} (reference 2.4). */
  public String errorType() {
    return errorType;
  }

  /** Whether the same endpoint may be tried again (bounded, with backoff). */
  public boolean retriesSameEndpoint() {
    return retriesSameEndpoint;
  }

  /** Whether the next candidate endpoint or fallback model should be tried. */
  public boolean triesNextCandidate() {
    return triesNextCandidate;
  }

  /** Whether the caller caused it (logged quietly) rather than an upstream or us. */
  public boolean isCallerFault() {
    return callerFault;
  }

  /**
   * The class of an upstream's HTTP status when its body says nothing more precise: the one table
   * every adapter's {@code XxxErrors} falls back to, so a status means the same whichever dialect
   * answered it.
   *
   * <table>
   *   <caption>Upstream status to failure class</caption>
   *   <tr><th>Status</th><th>Class</th></tr>
   *   <tr><td>400, 409, 413, 415, 422, other 4xx</td><td>UPSTREAM_INVALID_REQUEST</td></tr>
   *   <tr><td>401, 403</td><td>UPSTREAM_CREDENTIAL (our key upstream, not the caller's)</td></tr>
   *   <tr><td>402</td><td>UPSTREAM_QUOTA (our account upstream)</td></tr>
   *   <tr><td>404</td><td>UPSTREAM_MODEL_UNAVAILABLE</td></tr>
   *   <tr><td>408</td><td>TIMEOUT</td></tr>
   *   <tr><td>429</td><td>UPSTREAM_RATE_LIMITED</td></tr>
   *   <tr><td>503, 529</td><td>UPSTREAM_OVERLOADED</td></tr>
   *   <tr><td>500, 502, 504, other 5xx</td><td>UPSTREAM_TRANSIENT</td></tr>
   *   <tr><td>anything else (a 2xx or 3xx that is not an answer)</td>
   *       <td>UPSTREAM_BAD_RESPONSE</td></tr>
   * </table>
   */
  public static FailureClass ofUpstreamStatus(int status) {
    return switch (status) {
      case 400, 409, 413, 415, 422 -> UPSTREAM_INVALID_REQUEST;
      case 401, 403 -> UPSTREAM_CREDENTIAL;
      case 402 -> UPSTREAM_QUOTA;
      case 404 -> UPSTREAM_MODEL_UNAVAILABLE;
      case 408 -> TIMEOUT;
      case 429 -> UPSTREAM_RATE_LIMITED;
      case 503, 529 -> UPSTREAM_OVERLOADED;
      default -> {
        if (status >= 500) {
          yield UPSTREAM_TRANSIENT;
        }
        yield status >= 400 ? UPSTREAM_INVALID_REQUEST : UPSTREAM_BAD_RESPONSE;
      }
    };
  }
}
