package dev.switchboard.core.provider;

import java.util.Map;

/**
 * An upstream request an adapter built, without sending it: method, full URL, headers (auth
 * included) and the JSON body. {@link #toString()} never shows header values, which carry secrets.
 */
public record HttpCall(String method, String url, Map<String, String> headers, byte[] body) {

  public HttpCall {
    headers = Map.copyOf(headers);
  }

  @Override
  public String toString() {
    return "HttpCall[" + method + " " + url + ", headers=" + headers.keySet() + "]";
  }
}
