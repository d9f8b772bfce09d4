package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.simulator.Fault;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Circuit breaking, on its own gateway so other tests' failures do not trip it. */
class CircuitBreakerIT {

  @RegisterExtension
  static final TestGateway gw =
      TestGateway.perClass(new GatewayConfig.RoutingConfig(false, null, 1, 2, 400));

  static JsonNode ok(java.net.http.HttpResponse<String> r) throws Exception {
    return RoutingIT.ok(r);
  }

  @Test
  void circuitBreakerOpensAfterConsecutiveFailuresAndAProbeClosesIt() throws Exception {
    String body = RoutingIT.sonnet("\"provider\":{\"order\":[\"gcp-vertex\",\"aws-bedrock\"]}");
    gw.simulator().addFault("gcp-vertex", new Fault.Status(502, null, Map.of(), 0));
    for (int i = 0; i < 2; i++) {
      assertThat(ok(gw.chat(body)).path("provider").asText()).isEqualTo("Amazon Bedrock");
    }
    JsonNode meta = ok(RoutingIT.chatWithMetadata(gw, body)).path("openrouter_metadata");
    assertThat(meta.path("attempts")).as("the open endpoint is not tried first").hasSize(1);
    assertThat(meta.path("attempts").get(0).path("provider").asText()).isEqualTo("Amazon Bedrock");
    assertThat(meta.path("trace").toString()).contains("circuit open");
    JsonNode health = ok(gw.get("/routing/endpoints", TestGateway.MASTER_KEY)).path("data");
    assertThat(health.toString())
        .contains(
            "\"model\":\"anthropic/claude-sonnet-4\",\"provider\":\"gcp-vertex\",\"breaker\":\"open\"");
    assertThat(gw.get("/routing/endpoints", TestGateway.KEY).statusCode()).isEqualTo(403);
    gw.simulator().clearFaults("gcp-vertex");
    Thread.sleep(450);
    assertThat(ok(gw.chat(body)).path("provider").asText()).isEqualTo("Google Vertex");
    assertThat(ok(gw.chat(body)).path("provider").asText()).isEqualTo("Google Vertex");
  }
}
