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
import java.util.concurrent.CompletableFuture;

/**
 * The OCR engine slot of the {@code file-parser} plugin ({@code pdf.engine: "mistral-ocr"}): a
 * Mistral-OCR-compatible endpoint ({@code POST <ocr-url>} with {@code {model, document:{type:
 * "document_url", document_url:"data:application/pdf;base64,…"}}}, answering {@code
 * {pages:[{markdown}]}}). Without {@code plugins.file-parser.ocr-url} a request for it gets a 503
 * that names the setting.
 */
final class OcrClient {

  private final PluginsConfig.FileParserConfig config;
  private final HttpClient http;

  OcrClient(PluginsConfig.FileParserConfig config, HttpClient http) {
    this.config = config;
    this.http = http;
  }

  CompletableFuture<String> text(String name, String dataUrl) {
    if (config.ocrUrl() == null || config.ocrUrl().isBlank()) {
      return CompletableFuture.failedFuture(
          new GatewayException(
              GatewayError.of(
                  FailureClass.GATEWAY_BUSY,
                  503,
                  "The OCR engine (pdf.engine \"mistral-ocr\") is not configured on this gateway"
                      + " (plugins.file-parser.ocr-url); use \"pdf-text\" or \"native\"")));
    }
    ObjectNode body = ApiJson.object();
    body.put("model", "mistral-ocr-latest");
    ObjectNode doc = body.putObject("document");
    doc.put("type", "document_url");
    doc.put("document_url", dataUrl);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(config.ocrUrl()))
            .timeout(Duration.ofMillis(config.timeoutMs()))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ApiJson.string(body)));
    if (config.ocrApiKey() != null) {
      request.header("authorization", "Bearer " + config.ocrApiKey());
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, err) -> {
              if (err != null || response.statusCode() != 200) {
                throw new GatewayException(
                    GatewayError.of(
                        FailureClass.UPSTREAM_BAD_RESPONSE,
                        502,
                        "OCR of \""
                            + name
                            + "\" failed"
                            + (err != null ? "" : ": HTTP " + response.statusCode())));
              }
              StringBuilder out = new StringBuilder();
              try {
                JsonNode root = ApiJson.mapper().readTree(response.body());
                for (JsonNode page : root.path("pages")) {
                  out.append(out.isEmpty() ? "" : "\n\n").append(page.path("markdown").asText(""));
                }
              } catch (Exception e) {
                throw new GatewayException(
                    GatewayError.of(
                        FailureClass.UPSTREAM_BAD_RESPONSE, 502, "OCR answer is not JSON"));
              }
              return out.toString();
            });
  }
}
