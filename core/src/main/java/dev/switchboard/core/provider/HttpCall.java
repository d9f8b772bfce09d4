package dev.switchboard.core.provider;

import java.util.HashMap;
import java.util.Map;

/**
 * An upstream request an adapter built, without sending it: method, full URL, headers (auth
 * included) and the JSON body. {@code provider} is the provider's display name, for messages a
 * client may see (which must not show the URL). {@code media} maps the placeholders the body
 * carries to the fetched bytes they stand for ({@link dev.switchboard.core.media.SplicedBody});
 * empty unless the gateway fetched media for this call. {@link #toString()} never shows header
 * values, which carry secrets.
 */
public record HttpCall(
    String method,
    String url,
    Map<String, String> headers,
    byte[] body,
    String provider,
    Map<String, byte[]> media) {

  public HttpCall {
    headers = Map.copyOf(headers);
    media = media == null ? Map.of() : Map.copyOf(media);
  }

  public HttpCall(String method, String url, Map<String, String> headers, byte[] body) {
    this(method, url, headers, body, null, Map.of());
  }

  /**
   * A JSON {@code POST} to {@code url}: {@code Content-Type} JSON, {@code Accept} the event stream
   * when {@code stream} (else JSON), the target's key in its profile's auth header (left out when
   * the target has none) and the profile's extra headers.
   */
  public static HttpCall jsonPost(String url, Target target, boolean stream, byte[] body) {
    DialectProfile profile = target.profile();
    Map<String, String> headers = new HashMap<>(8);
    headers.put("Content-Type", "application/json");
    headers.put("Accept", stream ? "text/event-stream" : "application/json");
    String key = target.apiKey();
    if (key != null && !key.isEmpty()) {
      headers.put(profile.authHeader(), profile.authScheme() + key);
    }
    headers.putAll(profile.extraHeaders());
    return new HttpCall("POST", url, headers, body, target.providerName(), Map.of());
  }

  /** This call with fetched media spliced into its body when it is sent. */
  public HttpCall withMedia(Map<String, byte[]> placeholders) {
    return new HttpCall(method, url, headers, body, provider, placeholders);
  }

  @Override
  public String toString() {
    return "HttpCall[" + method + " " + url + ", headers=" + headers.keySet() + "]";
  }
}
