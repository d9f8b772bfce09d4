package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every kind of bad input gets a clear error in OpenRouter's envelope and the right status. */
class BadInputIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass(5_000, 4_096);

  static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = ApiJson.tree(r.body());
    assertThat(body.path("error").path("code").isInt()).isTrue();
    assertThat(body.path("error").path("code").asInt()).isEqualTo(status);
    assertThat(body.path("error").path("message").asText()).isNotBlank();
    return body.path("error");
  }

  @Test
  void malformedJsonIsA400NamingTheProblem() throws Exception {
    JsonNode e = error(gw.chat("{\"model\": \"openai/gpt-5.2\", \"messages\": ["), 400);
    assertThat(e.path("message").asText()).startsWith("Request body is not valid JSON");
  }

  @Test
  void aJsonArrayInsteadOfAnObjectIsA400() throws Exception {
    error(gw.chat("[1,2,3]"), 400);
  }

  @Test
  void emptyBodyIsA400() throws Exception {
    assertThat(error(gw.chat(""), 400).path("message").asText())
        .isEqualTo("Request body is required");
  }

  @Test
  void emptyMessagesIsA400() throws Exception {
    JsonNode e = error(gw.chat("{\"model\":\"openai/gpt-5.2\",\"messages\":[]}"), 400);
    assertThat(e.path("message").asText()).contains("messages");
  }

  @Test
  void unknownModelIsA400WithOpenRoutersMessage() throws Exception {
    JsonNode e =
        error(
            gw.chat(
                "{\"model\":\"acme/fake-1.0\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
            400);
    assertThat(e.path("message").asText()).isEqualTo("acme/fake-1.0 is not a valid model ID");
  }

  @Test
  void moreThanThreeFallbackModelsIsA400() throws Exception {
    JsonNode e =
        error(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\",\"models\":[\"a/b\",\"c/d\",\"e/f\",\"g/h\"],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
            400);
    assertThat(e.path("message").asText()).isEqualTo("'models' array must have 3 items or fewer.");
  }

  @Test
  void bodyOverTheLimitIsA413() throws Exception {
    String big = "x".repeat(8_000);
    error(
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + big
                + "\"}]}"),
        413);
  }

  @Test
  void wrongContentTypeIsA415() throws Exception {
    HttpResponse<String> r =
        gw.post(
            "/chat/completions",
            "model=openai/gpt-5.2",
            TestGateway.KEY,
            "application/x-www-form-urlencoded");
    assertThat(error(r, 415).path("message").asText()).contains("application/json");
  }

  @Test
  void missingKeyIsA401() throws Exception {
    HttpResponse<String> r = gw.post("/chat/completions", "{}", null, "application/json");
    assertThat(error(r, 401).path("message").asText())
        .isEqualTo("No cookie auth credentials found");
  }

  @Test
  void unknownKeyIsA401() throws Exception {
    HttpResponse<String> r =
        gw.post(
            "/chat/completions",
            "{\"model\":\"openai/gpt-5.2\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            "sk-sb-v1-nobody",
            "application/json");
    assertThat(error(r, 401).path("message").asText()).isEqualTo("User not found.");
  }

  @Test
  void unknownPathIsA404InTheErrorEnvelope() throws Exception {
    error(gw.get("/nothing/here", TestGateway.KEY), 404);
  }

  @Test
  void unknownRequestFieldsAreAcceptedAndPassedThroughUpstream() throws Exception {
    HttpResponse<String> r =
        gw.chat(
            "{\"model\":\"minimax/minimax-m2.1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"vendor_knob\":{\"depth\":3},\"temperature\":0.7,"
                + "\"provider\":{\"only\":[\"minimax\"]}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode sent = gw.simulator().lastRequest("minimax").orElseThrow().json();
    assertThat(sent.path("vendor_knob").path("depth").asInt()).isEqualTo(3);
    assertThat(sent.path("temperature").decimalValue()).isEqualByComparingTo("0.7");
    assertThat(sent.has("top_p")).isFalse();
    assertThat(sent.path("model").asText()).isEqualTo("MiniMax-M2.1");
  }
}
