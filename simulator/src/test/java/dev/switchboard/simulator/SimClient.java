package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Drives a simulator over HTTP with the JDK client, as the gateway would. */
final class SimClient {

  final Simulator sim;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  SimClient(Simulator sim) {
    this.sim = sim;
  }

  /** A chat request body with one user message, plus extra top-level JSON members. */
  static String userRequest(String text, String... members) {
    StringBuilder out = new StringBuilder("{\"model\":\"gpt-4o-mini\",\"messages\":[");
    out.append("{\"role\":\"user\",\"content\":").append(ApiJson.string(text)).append("}]");
    for (String member : members) {
      out.append(',').append(member);
    }
    return out.append('}').toString();
  }

  /** POSTs a chat completion to {@code provider} (null: plain {@code /v1}). */
  HttpResponse<String> chat(String provider, String body, String... headers) {
    return send("POST", chatPath(provider), body, Duration.ofSeconds(10), headers);
  }

  HttpResponse<String> send(
      String method, String path, String body, Duration timeout, String... headers) {
    try {
      return http.send(
          request(method, path, body, timeout, headers), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #send} but lets the caller see the failure. */
  HttpResponse<String> sendRaw(String path, String body, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    return http.send(
        request("POST", path, body, timeout, headers), HttpResponse.BodyHandlers.ofString());
  }

  /** Streams a chat completion and records bytes, events, timing and whether it broke off. */
  Streamed stream(String provider, String body, String... headers) {
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> response =
          http.send(
              request("POST", chatPath(provider), body, Duration.ofSeconds(10), headers),
              HttpResponse.BodyHandlers.ofInputStream());
      List<SseEvent> events = new ArrayList<>();
      SseReader reader = SseReader.create(events::add);
      StringBuilder raw = new StringBuilder();
      long firstByte = -1;
      boolean broken = false;
      byte[] buffer = new byte[8192];
      try (InputStream in = response.body()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (firstByte < 0) {
            firstByte = System.nanoTime();
          }
          reader.feed(buffer, 0, n);
          raw.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        broken = true;
      }
      reader.finish();
      long end = System.nanoTime();
      return new Streamed(
          response.statusCode(),
          response.headers().firstValue("content-type").orElse(""),
          raw.toString(),
          events,
          broken,
          firstByte < 0 ? -1 : (firstByte - start) / 1_000_000,
          (end - start) / 1_000_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String chatPath(String provider) {
    return provider == null ? "/v1/chat/completions" : "/p/" + provider + "/v1/chat/completions";
  }

  static JsonNode json(String text) {
    try {
      return ApiJson.tree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isJson(String text) {
    try {
      ApiJson.tree(text);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private HttpRequest request(
      String method, String path, String body, Duration timeout, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sim.url() + path))
            .timeout(timeout)
            .header("content-type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    return b.method(method, publisher).build();
  }

  /** A streamed response. */
  record Streamed(
      int status,
      String contentType,
      String raw,
      List<SseEvent> events,
      boolean broken,
      long firstByteMs,
      long totalMs) {

    /** The data of every chunk as JSON, [DONE] and non-JSON chunks left out. */
    List<JsonNode> chunks() {
      List<JsonNode> out = new ArrayList<>();
      for (SseEvent e : events) {
        if (!e.isDone() && e.event() == null) {
          try {
            out.add(ApiJson.tree(e.data()));
          } catch (IOException notJson) {
            // skipped
          }
        }
      }
      return out;
    }

    /** The streamed text content joined. */
    String text() {
      StringBuilder out = new StringBuilder();
      for (JsonNode chunk : chunks()) {
        for (JsonNode choice : chunk.path("choices")) {
          JsonNode content = choice.path("delta").path("content");
          if (content.isTextual()) {
            out.append(content.asText());
          }
        }
      }
      return out.toString();
    }

    boolean endsWithDone() {
      return !events.isEmpty() && events.getLast().isDone();
    }
  }
}
