package dev.switchboard.server.limits;

import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.server.storage.ApiKey;
import java.util.Objects;

/**
 * What the admit stage knows about a request when it asks for admission: the authenticated key, the
 * decoded request, and the {@code x-session-id} header (the body's {@code session_id} wins,
 * reference §1.4).
 */
public record AdmissionFacts(ApiKey key, LlmRequest request, String sessionHeader) {

  public AdmissionFacts {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(request, "request");
  }

  public static AdmissionFacts of(ApiKey key, LlmRequest request) {
    return new AdmissionFacts(key, request, null);
  }

  /** The session the request belongs to, or null. */
  public String sessionId() {
    String body = request.sessionId();
    if (body != null && !body.isEmpty()) {
      return body;
    }
    return sessionHeader == null || sessionHeader.isEmpty() ? null : sessionHeader;
  }

  /** The end user the request names, or null. */
  public String user() {
    String user = request.user();
    return user == null || user.isEmpty() ? null : user;
  }
}
