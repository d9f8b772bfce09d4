package dev.switchboard.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Path segments and query strings, encoded. */
final class Paths {

  private Paths() {}

  /** A model id ({@code author/slug[:variant]}) as path segments, each encoded. */
  static String modelPath(String id) {
    Checks.requireArgument(
        id != null && id.contains("/"), "a model id looks like author/slug, was %s", id);
    StringJoiner j = new StringJoiner("/");
    for (String segment : id.split("/", -1)) {
      j.add(segment(segment));
    }
    return j.toString();
  }

  static String segment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~:@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }

  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String query(Map<String, String> params) {
    if (params == null || params.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner("&", "?", "");
    params.forEach((k, v) -> j.add(query(k) + "=" + query(v)));
    return j.toString();
  }
}
