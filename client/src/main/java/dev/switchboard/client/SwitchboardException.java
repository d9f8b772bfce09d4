package dev.switchboard.client;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one root of every exception this SDK throws: unchecked, with the HTTP status (0 when there
 * was no HTTP answer) and what OpenRouter's error envelope said ({@code
 * {"error":{"code","message","metadata"}}}).
 *
 * <p>The subclasses mirror the API's statuses: {@link BadRequestException} (400, 413, 422), {@link
 * AuthenticationException} (401), {@link PaymentRequiredException} (402), {@link
 * PermissionDeniedException} (403, with moderation details), {@link NotFoundException} (404),
 * {@link RequestTimeoutException} (408 and client-side time-outs), {@link RateLimitedException}
 * (429), {@link ProviderException} (502), {@link NoProviderAvailableException} (503), {@link
 * ServerException} (other 5xx), and, without an HTTP status, {@link ConnectionException}, {@link
 * InvalidResponseException} and {@link ToolLoopException}.
 *
 * <p>An error that arrives inside a 200 stream after the first chunk is raised from the stream's
 * {@code next()} as the same typed exception, with {@link #midStream()} true.
 */
public class SwitchboardException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ErrorInfo info;

  SwitchboardException(ErrorInfo info) {
    super(info.message());
    this.info = info;
  }

  SwitchboardException(ErrorInfo info, Throwable cause) {
    super(info.message(), cause);
    this.info = info;
  }

  /** The HTTP status (or the in-band error's {@code code}); 0 when no HTTP answer was read. */
  public int status() {
    return info.status();
  }

  /** OpenRouter's typed {@code metadata.error_type} ({@code rate_limit_exceeded}, ...). */
  public Optional<String> errorType() {
    return Optional.ofNullable(info.errorType());
  }

  /** The error's {@code metadata} object, as parsed JSON (maps, lists, strings, numbers). */
  public Map<String, Object> metadata() {
    return info.metadata();
  }

  /** {@code metadata.provider_name}: the upstream provider that failed, when one did. */
  public Optional<String> providerName() {
    return Optional.ofNullable(info.providerName());
  }

  /** {@code metadata.raw}: the upstream provider's own error (as text), when one was given. */
  public Optional<String> raw() {
    return Optional.ofNullable(info.raw());
  }

  /**
   * How long the server asked to wait before trying again ({@code Retry-After}, or {@code
   * metadata.retry_after_seconds}).
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(info.retryAfter());
  }

  /** The response body as received, when there was one. */
  public Optional<String> responseBody() {
    return Optional.ofNullable(info.responseBody());
  }

  /** The generation id ({@code X-Generation-Id} or the stream's chunk id), when known. */
  public Optional<String> generationId() {
    return Optional.ofNullable(info.generationId());
  }

  /** Whether the error arrived inside a stream, after chunks had been delivered. */
  public boolean midStream() {
    return info.midStream();
  }

  ErrorInfo info() {
    return info;
  }
}
