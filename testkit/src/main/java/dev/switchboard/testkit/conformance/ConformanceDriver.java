package dev.switchboard.testkit.conformance;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The smallest gateway there is: encode with the adapter, send with the JDK client, decode or
 * classify with the adapter. Streams are fed through {@link SseReader} into the adapter's decoder
 * as the bytes arrive. A simulator fault can ride on the request as the {@code x-sim-fault} header.
 */
final class ConformanceDriver {

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ProviderAdapter adapter;
  private final Target target;

  ConformanceDriver(ProviderAdapter adapter, Target target) {
    this.adapter = adapter;
    this.target = target;
  }

  ProviderAdapter adapter() {
    return adapter;
  }

  Target target() {
    return target;
  }

  /** Sends {@code request}; {@code fault} is simulator fault JSON or null. */
  Exchange send(LlmRequest request, String fault) {
    HttpCall call;
    try {
      call = adapter.encode(request, target);
    } catch (GatewayException e) {
      return new Exchange.Rejected(e);
    }
    String upstreamBody = new String(call.body(), StandardCharsets.UTF_8);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(call.url()))
            .timeout(TIMEOUT)
            .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    for (Map.Entry<String, String> header : call.headers().entrySet()) {
      if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        builder.header(header.getKey(), header.getValue());
      }
    }
    if (fault != null) {
      builder.header("x-sim-fault", fault);
    }
    try {
      HttpResponse<InputStream> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
          return new Exchange.Failed(
              adapter.classify(upstream(response, in.readAllBytes()), target), upstreamBody);
        }
        if (!request.stream()) {
          try {
            return new Exchange.Completed(
                adapter.decode(upstream(response, in.readAllBytes()), target), upstreamBody);
          } catch (GatewayException e) {
            return new Exchange.Failed(e.error(), upstreamBody);
          }
        }
        return new Exchange.Streamed(stream(in), upstreamBody);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("conformance request to " + call.url() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<StreamEvent> stream(InputStream in) throws IOException {
    StreamDecoder decoder = adapter.newStreamDecoder(target);
    List<StreamEvent> events = new ArrayList<>();
    SseReader reader = SseReader.create((SseEvent event) -> events.addAll(decoder.onEvent(event)));
    byte[] buffer = new byte[8192];
    try {
      int n;
      while (!decoder.finished() && (n = in.read(buffer)) > 0) {
        reader.feed(buffer, 0, n);
      }
    } catch (IOException cut) {
      // the connection broke: what the decoder makes of the end is the answer
    }
    reader.finish();
    events.addAll(decoder.onEnd());
    return events;
  }

  private static UpstreamResponse upstream(HttpResponse<?> response, byte[] body) {
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
              }
            });
    return new UpstreamResponse(response.statusCode(), headers, body);
  }
}
