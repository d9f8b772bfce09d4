package dev.switchboard.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The validated, immutable configuration of a client. */
record Settings(
    String baseUrl,
    String apiKey,
    String referer,
    String appName,
    Map<String, String> headers,
    Duration connectTimeout,
    Duration timeout,
    Duration streamIdleTimeout,
    RetryPolicy retryPolicy,
    ModelAliases aliases,
    List<String> fallbackModels,
    String defaultModel,
    Duration generationWait) {

  Settings {
    headers = Map.copyOf(headers);
    fallbackModels = List.copyOf(fallbackModels);
  }

  /** Every header sent on every request, attribution included. */
  Map<String, String> allHeaders() {
    java.util.LinkedHashMap<String, String> all = new java.util.LinkedHashMap<>();
    all.put("User-Agent", "switchboard-java/" + SwitchboardClient.VERSION);
    if (referer != null) {
      all.put("HTTP-Referer", referer);
    }
    if (appName != null) {
      all.put("X-Title", appName);
    }
    all.putAll(headers);
    return all;
  }
}
