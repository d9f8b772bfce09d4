package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiErrorsTest {

  private final OpenAiAdapter adapter = new OpenAiAdapter();

  private GatewayError classify(int status, String body, Map<String, String> headers) {
    return adapter.classify(
        new UpstreamResponse(status, headers, body.getBytes(StandardCharsets.UTF_8)),
        TestTargets.of("openai"));
  }

  @ParameterizedTest(name = "{0} -> {1} rendered {2}")
  @CsvSource({
    "fixtures/openai/error-400-context-length-exceeded.json, CONTEXT_TOO_LONG, 400",
    "fixtures/openai/error-400-unsupported-parameter.json, UPSTREAM_INVALID_REQUEST, 400",
    "fixtures/openai/error-400-unsupported-value.json, UPSTREAM_INVALID_REQUEST, 400",
    "fixtures/openai/error-401-invalid-api-key.json, UPSTREAM_CREDENTIAL, 502",
    "fixtures/openai/error-404-model-not-found.json, UPSTREAM_MODEL_UNAVAILABLE, 404",
    "fixtures/openai/error-429-rate-limit-exceeded.json, UPSTREAM_RATE_LIMITED, 429",
    "fixtures/openrouter/error-401-no-auth.json, UPSTREAM_CREDENTIAL, 502",
    "fixtures/openrouter/error-402-insufficient-credits.json, UPSTREAM_QUOTA, 502",
    "fixtures/openrouter/error-429-upstream-rate-limited.json, UPSTREAM_RATE_LIMITED, 429",
  })
  void classifiesEveryRecordedErrorBody(String resource, FailureClass kind, int rendered) {
    int status = Integer.parseInt(resource.substring(resource.lastIndexOf('/') + 1).split("-")[1]);

    GatewayError error = classify(status, Fixtures.string(resource), Map.of());

    assertThat(error.kind()).isEqualTo(kind);
    assertThat(error.httpStatus()).isEqualTo(rendered);
    assertThat(error.message()).isEqualTo("Provider returned error");
    assertThat(error.raw()).isEqualTo(Fixtures.string(resource));
  }

  @ParameterizedTest(name = "{0} -> {1} rendered {2}")
  @CsvSource({
    "500, UPSTREAM_TRANSIENT, 502",
    "502, UPSTREAM_TRANSIENT, 502",
    "504, UPSTREAM_TRANSIENT, 502",
    "503, UPSTREAM_OVERLOADED, 503",
    "529, UPSTREAM_OVERLOADED, 503",
    "408, TIMEOUT, 408",
    "403, UPSTREAM_CREDENTIAL, 502",
    "402, UPSTREAM_QUOTA, 502",
    "422, UPSTREAM_INVALID_REQUEST, 400",
  })
  void classifiesByStatus(int status, FailureClass kind, int rendered) {
    GatewayError error =
        classify(status, "{\"error\":{\"message\":\"x\",\"type\":\"server_error\"}}", Map.of());

    assertThat(error.kind()).isEqualTo(kind);
    assertThat(error.httpStatus()).isEqualTo(rendered);
    assertThat(error.providerCode()).isEqualTo("server_error");
    assertThat(error.provider()).isEqualTo("OpenAI");
  }

  @Test
  void treatsInsufficientQuotaOn429AsUpstreamQuota() {
    GatewayError error =
        classify(
            429,
            "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}",
            Map.of("retry-after", "20"));

    assertThat(error.kind()).isEqualTo(FailureClass.UPSTREAM_QUOTA);
    assertThat(error.httpStatus()).isEqualTo(502);
    assertThat(error.retryAfterSeconds()).isNull();
  }

  @Test
  void parsesRetryAfterSecondsOnRateLimits() {
    assertThat(classify(429, "{\"error\":{}}", Map.of("retry-after", "17")).retryAfterSeconds())
        .isEqualTo(17L);
    assertThat(classify(429, "{\"error\":{}}", Map.of("retry-after", "1.2")).retryAfterSeconds())
        .isEqualTo(2L);
    assertThat(
            classify(503, "{\"error\":{}}", Map.of("retry-after-ms", "1500")).retryAfterSeconds())
        .isEqualTo(2L);
  }

  @Test
  void ignoresARetryAfterDate() {
    assertThat(
            classify(429, "{\"error\":{}}", Map.of("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"))
                .retryAfterSeconds())
        .isNull();
  }

  @Test
  void readsRetryAfterFromOpenRouterMetadata() {
    GatewayError error =
        classify(
            429,
            "{\"error\":{\"code\":429,\"message\":\"Provider returned error\","
                + "\"metadata\":{\"retry_after_seconds\":17}}}",
            Map.of());

    assertThat(error.retryAfterSeconds()).isEqualTo(17L);
  }

  @Test
  void treatsNonJsonGarbageAsABadResponse() {
    GatewayError error = classify(400, "<html>Bad Gateway</html>", Map.of());

    assertThat(error.kind()).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
    assertThat(error.httpStatus()).isEqualTo(502);
    assertThat(error.raw()).isEqualTo("<html>Bad Gateway</html>");
  }

  @Test
  void keepsTheStatusClassOfANonJson503() {
    assertThat(classify(503, "Service Unavailable", Map.of()).kind())
        .isEqualTo(FailureClass.UPSTREAM_OVERLOADED);
  }

  @Test
  void detectsContextLengthFromTheMessageWhenThereIsNoCode() {
    GatewayError error =
        classify(
            400,
            "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens.\",\"type\":\"BadRequestError\",\"code\":400}",
            Map.of());

    assertThat(error.kind()).isEqualTo(FailureClass.CONTEXT_TOO_LONG);
  }

  @Test
  void truncatesAHugeRawBody() {
    String huge = "{\"error\":{\"message\":\"" + "x".repeat(10_000) + "\"}}";

    assertThat(classify(500, huge, Map.of()).raw()).hasSize(UpstreamBodies.MAX_RAW + 1);
  }

  @Test
  void decodeThrowsTheClassifiedErrorForAnErrorBodyUnder200() {
    UpstreamResponse response =
        new UpstreamResponse(
            200,
            Map.of(),
            "{\"error\":{\"code\":502,\"message\":\"Provider returned error\"},\"user_id\":\"u\"}"
                .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> adapter.decode(response, TestTargets.of("openrouter")))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.error().kind()).isEqualTo(FailureClass.UPSTREAM_TRANSIENT));
  }

  @Test
  void decodeThrowsABadResponseForABodyWithoutChoices() {
    UpstreamResponse response =
        new UpstreamResponse(200, Map.of(), "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> adapter.decode(response, TestTargets.of("openai")))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.error().kind()).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE));
  }
}
