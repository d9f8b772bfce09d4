package dev.switchboard.core.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code error.availability} object of a model-availability failure (reference §2.4, checklist
 * 24 and 61): {@code code}, {@code retryable}, {@code requested_models}, {@code excluded_by} when
 * routing filters left nothing, and {@code docs_url}. It rides on the {@link GatewayError}'s
 * metadata under {@link #KEY}; the error envelope lifts it into {@code error} itself, with {@code
 * error_type} and {@code http_status} beside it.
 */
public final class Availability {

  /** The metadata key the envelope lifts out. */
  public static final String KEY = "availability";

  private static final String DOCS = "https://openrouter.ai/docs/errors#";

  private Availability() {}

  /**
   * {@code error} with an availability object of {@code code} for {@code requestedModels}; {@code
   * excludedBy} (may be empty) names the routing filters that left no endpoint.
   */
  public static GatewayError attach(
      GatewayError error,
      String code,
      boolean retryable,
      List<String> requestedModels,
      List<String> excludedBy) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", code);
    out.put("retryable", retryable);
    out.put("requested_models", List.copyOf(requestedModels));
    if (excludedBy != null && !excludedBy.isEmpty()) {
      out.put("excluded_by", List.copyOf(excludedBy));
    }
    out.put("docs_url", DOCS + code);
    return error.withMetadata(KEY, out);
  }
}
