package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.storage.Keys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway run as an operator runs it, in its own JVM with {@code SWITCHBOARD_LOG_FORMAT=json}:
 * every line it writes, on standard output and standard error, start-up notes included, must be one
 * JSON object with formatted messages and typed fields; every request (health, catalogue,
 * management calls, 401, 403, 404, inference) gets exactly one access-log line; no secret appears.
 * Each gateway lives a few seconds and is stopped with SIGTERM, which drains the log.
 */
class JsonLogsIT {

  static final String MASTER = "sk-sb-mgmt-v1-json-logs-test-master-key-0123456789";

  @TempDir Path dir;

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void everyLineIsOneTypedJsonObjectWithOneAccessLinePerRequestAndNoSecret() throws Exception {
    Gateway gw = Gateway.start(dir, Map.of("SWITCHBOARD_MASTER_KEY", MASTER));
    List<Integer> statuses = new ArrayList<>();
    String created;
    try {
      statuses.add(gw.call("GET", "/health/live", null, null).statusCode());
      statuses.add(gw.call("GET", "/api/v1/models", null, null).statusCode());
      statuses.add(
          gw.call("GET", "/api/v1/keys", "sk-sb-v1-not-a-real-key-000000", null).statusCode());
      statuses.add(gw.call("GET", "/api/v1/keys", "sk-sb-v1-demo", null).statusCode());
      HttpResponse<String> create =
          gw.call("POST", "/api/v1/keys", MASTER, "{\"name\":\"log test\",\"limit\":5}");
      statuses.add(create.statusCode());
      created = ApiJson.tree(create.body()).path("key").asText();
      String hash = Keys.hash(created);
      statuses.add(gw.call("GET", "/api/v1/keys/" + hash, MASTER, null).statusCode());
      String chat =
          "{\"model\":\"openai/gpt-5.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      statuses.add(gw.call("POST", "/api/v1/chat/completions", created, chat).statusCode());
      statuses.add(
          gw.call(
                  "POST",
                  "/api/v1/chat/completions",
                  created,
                  chat.replace("{\"model\"", "{\"stream\":true,\"model\""))
              .statusCode());
      statuses.add(gw.call("POST", "/api/v1/chat/completions", null, chat).statusCode());
      statuses.add(gw.call("GET", "/no/such/path", null, null).statusCode());
      statuses.add(gw.call("DELETE", "/api/v1/keys/" + hash, MASTER, null).statusCode());
    } finally {
      gw.stop();
    }
    assertThat(statuses).containsExactly(200, 200, 401, 403, 201, 200, 200, 200, 401, 404, 200);

    List<JsonNode> lines = gw.jsonLines();
    for (JsonNode line : lines) {
      assertThat(line.path("timestamp").isTextual()).as("timestamp of %s", line).isTrue();
      assertThat(line.path("level").isTextual()).isTrue();
      assertThat(line.path("message").isTextual()).as("message of %s", line).isTrue();
      assertThat(line.path("message").asText()).doesNotContain("{}");
      assertThat(line.has("arguments")).isFalse();
      for (Iterator<Map.Entry<String, JsonNode>> it = line.fields(); it.hasNext(); ) {
        JsonNode v = it.next().getValue();
        assertThat(v.isTextual() && v.asText().equals("null"))
            .as("a \"null\" string in %s", line)
            .isFalse();
      }
    }
    assertThat(messages(lines, "dev.switchboard.server.Gateway"))
        .anyMatch(
            m ->
                m.startsWith(
                    "Storage: SQLite in " + dir.resolve("data").toAbsolutePath().normalize()));
    assertThat(messages(lines, "switchboard.console")).contains("Demo mode. Try:");

    List<JsonNode> access = byLogger(lines, "switchboard.access");
    assertThat(access).hasSize(statuses.size());
    assertThat(access)
        .extracting(a -> a.path("status").intValue())
        .containsExactlyElementsOf(statuses);
    for (JsonNode a : access) {
      assertThat(a.path("status").isInt()).isTrue();
      assertThat(a.path("duration_ms").isNumber()).isTrue();
      assertThat(a.path("bytes_out").isNumber()).isTrue();
      assertThat(a.path("aborted").isBoolean()).isTrue();
      assertThat(a.path("method").isTextual()).isTrue();
      assertThat(a.path("message").asText())
          .isEqualTo(
              a.path("method").asText()
                  + " "
                  + a.path("path").asText()
                  + " "
                  + a.path("status").asInt());
    }
    assertThat(access.get(0).has("key_hash")).as("no key, no key_hash").isFalse();
    assertThat(access.get(4).path("key_hash").asText())
        .isEqualTo(Keys.hash(MASTER).substring(0, 16));
    assertThat(access.get(6).path("key_hash").asText())
        .isEqualTo(Keys.hash(created).substring(0, 16));
    assertThat(access.get(6).path("generation_id").asText()).startsWith("gen-");

    // The two inference requests' generations ride on their access lines, typed as the rest.
    assertThat(byLogger(lines, "switchboard.generation")).isEmpty();
    for (JsonNode g : List.of(access.get(6), access.get(7))) {
      assertThat(g.path("generation_id").asText()).as("generation of %s", g).startsWith("gen-");
      assertThat(g.path("cost").isNumber()).as("cost of %s", g).isTrue();
      assertThat(g.path("prompt_tokens").isIntegralNumber()).isTrue();
      assertThat(g.path("stream").isBoolean()).isTrue();
      assertThat(g.path("model").asText()).isEqualTo("openai/gpt-5.2");
      assertThat(g.has("failure_class")).as("a success has no failure_class").isFalse();
      assertThat(g.has("generation_status"))
          .as("the generation's status is the HTTP one")
          .isFalse();
    }
    assertThat(access.get(7).path("stream").asBoolean()).isTrue();

    String everything = gw.rawOutput();
    assertThat(everything)
        .doesNotContain(MASTER)
        .doesNotContain(created)
        .doesNotContain("sk-sb-v1-not-a-real-key");
    for (JsonNode a : access) {
      assertThat(a.toString()).doesNotContainIgnoringCase("bearer");
    }
  }

  @Test
  void aGeneratedManagementKeyNeverReachesTheJsonLog() throws Exception {
    Gateway gw = Gateway.start(dir, Map.of());
    gw.stop();
    assertThat(gw.jsonLines()).isNotEmpty();
    assertThat(Pattern.compile("sk-sb-mgmt-v1-[0-9a-f]{16,}").matcher(gw.rawOutput()).find())
        .as("a management key's plaintext in the output")
        .isFalse();
  }

  @Test
  void anUnknownLogFormatIsRefusedWithTheVariableNamed() throws Exception {
    Gateway gw = Gateway.launch(dir, Map.of("SWITCHBOARD_LOG_FORMAT", "xml"));
    assertThat(gw.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(gw.process.exitValue()).isEqualTo(2);
    assertThat(gw.rawOutput())
        .contains("env: SWITCHBOARD_LOG_FORMAT: must be text or json, was \"xml\"");
  }

  private static List<String> messages(List<JsonNode> lines, String logger) {
    return byLogger(lines, logger).stream().map(l -> l.path("message").asText()).toList();
  }

  private static List<JsonNode> byLogger(List<JsonNode> lines, String logger) {
    return lines.stream().filter(l -> l.path("logger").asText().equals(logger)).toList();
  }

  /** A gateway process with its output in files. */
  static final class Gateway {
    final Process process;
    final Path out;
    int port;

    private Gateway(Process process, Path out) {
      this.process = process;
      this.out = out;
    }

    static Gateway launch(Path dir, Map<String, String> env) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "--enable-native-access=ALL-UNNAMED",
              "-cp",
              System.getProperty("java.class.path"),
              "dev.switchboard.server.Main",
              "serve",
              "--demo",
              "--port",
              "0",
              "--data-dir",
              dir.resolve("data").toString());
      pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
      pb.environment().put("SWITCHBOARD_LOG_FORMAT", "json");
      pb.environment().putAll(env);
      Path out = Files.createTempFile(dir, "gateway", ".log");
      pb.redirectErrorStream(true).redirectOutput(out.toFile());
      return new Gateway(pb.start(), out);
    }

    static Gateway start(Path dir, Map<String, String> env) throws Exception {
      Gateway gw = launch(dir, env);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && gw.process.isAlive()) {
        for (String line : Files.readAllLines(gw.out, StandardCharsets.UTF_8)) {
          if (line.contains("Switchboard listening")) {
            gw.port = ApiJson.tree(line).path("port").intValue();
            return gw;
          }
        }
        Thread.sleep(100);
      }
      gw.process.destroyForcibly();
      throw new AssertionError("the gateway did not start:\n" + gw.rawOutput());
    }

    HttpResponse<String> call(String method, String path, String key, String body)
        throws IOException, InterruptedException {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(20))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (key != null) {
        b.header("Authorization", "Bearer " + key);
      }
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    void stop() throws InterruptedException {
      process.destroy(); // SIGTERM: the shutdown hook drains the log
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the gateway did not stop within 30 s");
      }
    }

    String rawOutput() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Every line parsed; a line that is not one JSON object fails the test with the line. */
    List<JsonNode> jsonLines() throws IOException {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        JsonNode node;
        try {
          node = ApiJson.tree(line);
        } catch (IOException e) {
          throw new AssertionError("not a JSON line: " + line, e);
        }
        assertThat(node.isObject()).as("one JSON object: %s", line).isTrue();
        lines.add(node);
      }
      return lines;
    }
  }
}
