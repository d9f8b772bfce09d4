package dev.switchboard.client.internal;

import java.net.http.HttpHeaders;
import java.util.Optional;

/** A whole HTTP answer: status, headers and the body bytes. */
public record RawResponse(int status, HttpHeaders headers, byte[] body) {

  /** The first value of a header, case-insensitively. */
  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  public boolean ok() {
    return status >= 200 && status < 300;
  }
}
