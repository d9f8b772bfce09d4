package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A local HTTP server that answers with canned replies (recorded OpenRouter bodies, hand-written
 * ones) and records what the SDK sent. Replies are queued per method and path; the last one of a
 * queue answers every further request.
 */
final class ReplayServer implements AutoCloseable {

  static final String KEY = "sk-or-v1-replay-test-key-0000";

  record Recorded(
      String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return null;
    }

    JsonNode json() {
      try {
        return ApiJson.tree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  record Reply(int status, Map<String, String> headers, byte[] body) {
    static Reply json(int status, String body) {
      return new Reply(status, Map.of("Content-Type", "application/json"), utf8(body));
    }

    static Reply sse(String body) {
      return new Reply(200, Map.of("Content-Type", "text/event-stream"), utf8(body));
    }

    /** A recorded fixture, {@code .sse} as a stream, anything else as JSON. */
    static Reply fixture(String name, int status) {
      String type = name.endsWith(".sse") ? "text/event-stream" : "application/json";
      return new Reply(status, Map.of("Content-Type", type), Fixtures.bytes(name));
    }

    Reply header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Reply(status, more, body);
    }
  }

  private final HttpServer server;
  private final Map<String, ArrayDeque<Reply>> routes = new ConcurrentHashMap<>();
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());

  private ReplayServer(HttpServer server) {
    this.server = server;
  }

  static ReplayServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ReplayServer replay = new ReplayServer(server);
      server.createContext("/", replay::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return replay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Queues replies for {@code method} and {@code path} (under {@code /api/v1}). */
  ReplayServer on(String method, String path, Reply... replies) {
    ArrayDeque<Reply> queue =
        routes.computeIfAbsent(method + " /api/v1" + path, k -> new ArrayDeque<>());
    synchronized (queue) {
      queue.addAll(List.of(replies));
    }
    return this;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
  }

  /** A builder pointed at this server, without retries and without waits. */
  SwitchboardClient.Builder client() {
    return SwitchboardClient.builder()
        .baseUrl(baseUrl())
        .apiKey(KEY)
        .retryPolicy(RetryPolicy.none())
        .sleeper(d -> {});
  }

  List<Recorded> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  Recorded lastRequest() {
    List<Recorded> all = requests();
    return all.getLast();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    String path = ex.getRequestURI().getRawPath();
    requests.add(
        new Recorded(
            ex.getRequestMethod(),
            path,
            ex.getRequestURI().getRawQuery(),
            Map.copyOf(ex.getRequestHeaders()),
            body));
    ArrayDeque<Reply> queue = routes.get(ex.getRequestMethod() + " " + path);
    Reply reply;
    if (queue == null) {
      reply =
          Reply.json(404, "{\"error\":{\"code\":404,\"message\":\"no replay for " + path + "\"}}");
    } else {
      synchronized (queue) {
        reply = queue.size() > 1 ? queue.poll() : queue.peek();
      }
    }
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(reply.body());
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
