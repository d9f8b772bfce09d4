package dev.switchboard.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.client.internal.HttpTransport;
import dev.switchboard.client.internal.RawResponse;
import dev.switchboard.client.internal.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Sends requests through the transport with the retry policy, and turns error answers into typed
 * exceptions. Thread-safe.
 */
final class Requester {

  private final HttpTransport transport;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  Requester(HttpTransport transport, RetryPolicy policy, Sleeper sleeper, DoubleSupplier random) {
    this.transport = transport;
    this.policy = policy;
    this.sleeper = sleeper;
    this.random = random == null ? () -> ThreadLocalRandom.current().nextDouble() : random;
  }

  /** One call with retries; returns a 2xx answer or throws the typed exception. */
  RawResponse call(String method, String path, byte[] body) {
    return retrying(method + " " + path, () -> callOnce(method, path, body));
  }

  /**
   * Runs {@code attempt} until it succeeds, fails with something the policy does not retry, or the
   * retries are spent; waits between attempts.
   */
  <T> T retrying(String what, java.util.function.Supplier<T> attempt) {
    for (int retry = 0; ; retry++) {
      try {
        return attempt.get();
      } catch (SwitchboardException failure) {
        if (retry >= policy.maxRetries() || !policy.retries(failure)) {
          throw failure;
        }
        Duration wait = policy.delay(retry + 1, failure.retryAfter().orElse(null), random);
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          throw interrupted(what, e);
        }
      }
    }
  }

  private RawResponse callOnce(String method, String path, byte[] body) {
    try {
      RawResponse r = transport.send(method, path, body);
      if (r.ok()) {
        return r;
      }
      throw Errors.fromResponse(r);
    } catch (IOException e) {
      throw Errors.fromIo(e, method + " " + transport.baseUrl() + path);
    } catch (InterruptedException e) {
      throw interrupted(method + " " + path, e);
    }
  }

  /**
   * One streaming POST, without retries: a non-2xx head is read whole and thrown as the typed
   * exception; a 2xx body is returned open.
   */
  HttpResponse<InputStream> openOnce(String path, byte[] body) {
    String what = "POST " + transport.baseUrl() + path;
    try {
      HttpResponse<InputStream> r = transport.open(path, body);
      if (r.statusCode() >= 200 && r.statusCode() < 300) {
        return r;
      }
      byte[] bytes;
      try (InputStream in = r.body()) {
        bytes = in.readAllBytes();
      }
      throw Errors.fromResponse(new RawResponse(r.statusCode(), r.headers(), bytes));
    } catch (IOException e) {
      throw Errors.fromIo(e, what);
    } catch (InterruptedException e) {
      throw interrupted(what, e);
    }
  }

  /** {@code {"data": ...}} read as {@code type}. */
  static <T> T data(RawResponse r, Class<T> type) {
    return data(r, ApiJson.mapper().constructType(type));
  }

  static <T> T data(RawResponse r, JavaType type) {
    JsonNode root = tree(r);
    JsonNode data = root.get("data");
    if (data == null) {
      throw Errors.invalid("expected {\"data\": ...} but got " + abbreviate(root.toString()), null);
    }
    return convert(data, type);
  }

  static <T> T body(RawResponse r, Class<T> type) {
    return convert(tree(r), ApiJson.mapper().constructType(type));
  }

  static JsonNode tree(RawResponse r) {
    try {
      JsonNode root = ApiJson.tree(r.body());
      if (root == null || root.isMissingNode()) {
        throw Errors.invalid("empty answer (HTTP " + r.status() + ")", null);
      }
      return root;
    } catch (IOException e) {
      throw Errors.invalid(
          "answer is not JSON: "
              + abbreviate(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)),
          e);
    }
  }

  private static <T> T convert(JsonNode node, JavaType type) {
    try {
      return ApiJson.mapper().treeToValue(node, type);
    } catch (IOException | IllegalArgumentException e) {
      throw Errors.invalid("cannot read " + type.getTypeName() + ": " + e.getMessage(), e);
    }
  }

  private static ConnectionException interrupted(String what, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new ConnectionException(ErrorInfo.of(0, what + ": interrupted"), e);
  }

  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}
