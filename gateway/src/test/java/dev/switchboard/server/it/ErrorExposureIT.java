package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.config.GatewayConfig.ProviderConfig;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.simulator.Fault;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What error responses reveal: the provider by name, never the upstream's address (which stays in
 * the log and the generation record); {@code metadata.raw} unless {@code errors.expose-raw} is off.
 */
class ErrorExposureIT {

  @TempDir Path dir;

  static final String XIAOMI =
      "{\"model\":\"xiaomi/mimo-v2-flash:free\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static String streamed(String body) {
    return body.replace("{\"model\"", "{\"stream\":true,\"model\"");
  }

  @Test
  void aRefusedUpstreamConnectionNamesTheProviderNotItsAddress() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort(); // closed again: connections to it are refused
    }
    String address = "127.0.0.1:" + dead;
    Path data = dir.resolve("address");
    try (TestGateway gw = TestGateway.startWith(data, c -> xiaomiAt(c, "http://" + address))) {
      String key =
          ApiJson.tree(
                  gw.send("POST", "/keys", "{\"name\":\"errors\"}", TestGateway.MASTER_KEY).body())
              .path("key")
              .asText();
      for (String body : List.of(XIAOMI, streamed(XIAOMI))) {
        HttpResponse<String> r = gw.post("/chat/completions", body, key, "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        JsonNode e = ApiJson.tree(r.body()).path("error");
        assertThat(e.path("message").asText())
            .isEqualTo("Upstream connection failed: Xiaomi (connection refused)");
        assertThat(e.path("metadata").path("provider_name").asText()).isEqualTo("Xiaomi");
        assertThat(r.body()).doesNotContain("127.0.0.1").doesNotContain(Integer.toString(dead));
      }
    }
    // The operator still sees where the connection went.
    List<String> recorded = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Storage.SQLITE_FILE_NAME));
        ResultSet rs =
            c.createStatement()
                .executeQuery("select error_message from generations where error_status = 502")) {
      while (rs.next()) {
        recorded.add(rs.getString(1));
      }
    }
    assertThat(recorded)
        .hasSize(2)
        .allSatisfy(
            m ->
                assertThat(m)
                    .startsWith("Upstream connection failed: Xiaomi (connection refused)")
                    .contains("http://" + address));
  }

  /** Outside demo mode, with Xiaomi (and only Xiaomi) configured, at {@code baseUrl}. */
  static GatewayConfig xiaomiAt(GatewayConfig c, String baseUrl) {
    Map<String, ProviderConfig> providers = new LinkedHashMap<>(c.providers());
    ProviderConfig x = providers.get("xiaomi");
    providers.put(
        "xiaomi",
        new ProviderConfig(
            x.slug(),
            x.name(),
            "openai",
            baseUrl + "/v1",
            "sk-upstream",
            true,
            x.privacyPolicyUrl(),
            x.termsOfServiceUrl(),
            x.statusPageUrl()));
    return new GatewayConfig(
        c.server(),
        c.upstream(),
        c.stream(),
        c.routing(),
        c.media(),
        c.storage(),
        c.log(),
        providers,
        c.catalog(),
        c.masterKey(),
        false,
        c.limits(),
        c.errors());
  }

  @Test
  void theUpstreamsRawErrorIsShownByDefaultAndWithheldWhenConfigured() throws Exception {
    Fault unauthorized =
        new Fault.Status(401, null, Map.of(), 0)
            .withBody("{\"error\":{\"message\":\"upstream says: key sk-up…42 is revoked\"}}");
    try (TestGateway gw = TestGateway.start(dir.resolve("raw"))) {
      gw.simulator().addFault("xiaomi", unauthorized);
      JsonNode e = ApiJson.tree(gw.chat(XIAOMI).body()).path("error");
      assertThat(e.path("code").asInt()).isEqualTo(502);
      assertThat(e.path("metadata").path("raw").asText()).contains("is revoked");
    }
    try (TestGateway gw =
        TestGateway.startWith(
            dir.resolve("no-raw"), c -> c.withErrors(new GatewayConfig.ErrorsConfig(false)))) {
      gw.simulator().addFault("xiaomi", unauthorized);
      for (String body : List.of(XIAOMI, streamed(XIAOMI))) {
        HttpResponse<String> r = gw.chat(body);
        JsonNode e = ApiJson.tree(r.body()).path("error");
        assertThat(e.path("code").asInt()).as(r.body()).isEqualTo(502);
        assertThat(e.path("message").asText()).isEqualTo("Provider returned error");
        assertThat(e.path("metadata").path("provider_name").asText()).isEqualTo("Xiaomi");
        assertThat(e.path("metadata").has("raw")).as(r.body()).isFalse();
        assertThat(r.body()).doesNotContain("is revoked");
      }
    }
  }
}
