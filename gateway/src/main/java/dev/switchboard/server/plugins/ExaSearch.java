package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.config.PluginsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An Exa-compatible search API: {@code POST <base>/search} with {@code x-api-key} and {@code
 * {query, numResults, contents:{text:{maxCharacters}}}}, answering {@code {results:[{url, title,
 * text}]}}. Asynchronous (the JDK client's own threads); never blocks the caller. Failures complete
 * the future with a {@link GatewayException}: 503 when search is not configured, 502 when the API
 * fails, 504 when it is too slow.
 */
final class ExaSearch {

  /** Characters of page text asked for per result (Exa's highlights are 2,000 to 4,000). */
  static final int MAX_CHARACTERS = 3_000;

  private final PluginsConfig.WebConfig config;
  private final HttpClient http;

  ExaSearch(PluginsConfig.WebConfig config, HttpClient http) {
    this.config = config;
    this.http = http;
  }

  boolean configured() {
    return config.configured();
  }

  CompletableFuture<List<SearchResult>> search(String query, int maxResults) {
    if (!config.configured()) {
      return CompletableFuture.failedFuture(
          new GatewayException(
              GatewayError.of(
                  FailureClass.GATEWAY_BUSY,
                  503,
                  "Web search is not configured on this gateway (plugins.web.exa-base-url,"
                      + " SWITCHBOARD_EXA_BASE_URL)")));
    }
    ObjectNode body = ApiJson.object();
    body.put("query", query);
    body.put("numResults", maxResults);
    body.putObject("contents").putObject("text").put("maxCharacters", MAX_CHARACTERS);
    String base = config.exaBaseUrl().replaceAll("/+$", "");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/search"))
            .timeout(Duration.ofMillis(config.timeoutMs()))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ApiJson.string(body)));
    if (config.exaApiKey() != null) {
      request.header("x-api-key", config.exaApiKey());
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, err) -> {
              if (err != null) {
                Throwable cause = err.getCause() != null ? err.getCause() : err;
                boolean slow = cause instanceof java.net.http.HttpTimeoutException;
                throw new GatewayException(
                    GatewayError.of(
                        slow ? FailureClass.TIMEOUT : FailureClass.UPSTREAM_BAD_RESPONSE,
                        slow ? 504 : 502,
                        slow
                            ? "Web search took longer than " + config.timeoutMs() + " ms"
                            : "Web search failed: " + cause.getClass().getSimpleName()));
              }
              if (response.statusCode() != 200) {
                throw new GatewayException(
                    GatewayError.of(
                        FailureClass.UPSTREAM_BAD_RESPONSE,
                        502,
                        "Web search failed: the search API answered HTTP "
                            + response.statusCode()));
              }
              return results(response.body(), maxResults);
            });
  }

  private static List<SearchResult> results(String body, int maxResults) {
    JsonNode root;
    try {
      root = ApiJson.mapper().readTree(body);
    } catch (Exception e) {
      throw new GatewayException(
          GatewayError.of(
              FailureClass.UPSTREAM_BAD_RESPONSE,
              502,
              "Web search failed: the answer is not JSON"));
    }
    List<SearchResult> out = new ArrayList<>();
    for (JsonNode r : root.path("results")) {
      String url = r.path("url").asText(null);
      if (url == null || url.isBlank()) {
        continue;
      }
      String text = r.path("text").asText("");
      if (text.isEmpty() && r.path("highlights").isArray()) {
        StringBuilder h = new StringBuilder();
        r.get("highlights").forEach(x -> h.append(h.isEmpty() ? "" : " … ").append(x.asText()));
        text = h.toString();
      }
      if (text.length() > MAX_CHARACTERS) {
        text = text.substring(0, MAX_CHARACTERS);
      }
      out.add(new SearchResult(url, r.path("title").asText(url), text));
      if (out.size() == maxResults) {
        break;
      }
    }
    return out;
  }
}
