package dev.switchboard.core.provider;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A complete upstream HTTP response (non-streaming, or a stream that failed before its first
 * event). Header names are lower case.
 */
public record UpstreamResponse(int status, Map<String, String> headers, byte[] body) {

  public UpstreamResponse {
    headers = Map.copyOf(headers);
  }

  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
