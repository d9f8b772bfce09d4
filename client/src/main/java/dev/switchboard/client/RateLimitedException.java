package dev.switchboard.client;

/**
 * 429: a rate limit, OpenRouter's own or an upstream provider's after every fallback. {@link
 * #retryAfter()} says how long to wait when the server said so.
 */
public class RateLimitedException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  RateLimitedException(ErrorInfo info) {
    super(info);
  }
}
