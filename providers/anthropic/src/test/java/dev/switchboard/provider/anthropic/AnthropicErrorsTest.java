package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {

  private final AnthropicAdapter adapter = new AnthropicAdapter();

  private GatewayError classify(int status, String body) {
    return adapter.classify(
        new UpstreamResponse(status, Map.of(), body.getBytes(StandardCharsets.UTF_8)),
        TestTargets.sonnet45());
  }

  @Test
  void anHtmlPageOnA400IsABadResponseButOnA529StillOverloaded() {
    assertThat(classify(400, "<html>nope</html>").kind())
        .isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
    GatewayError overloaded = classify(529, "<html>busy</html>");
    assertThat(overloaded.kind()).isEqualTo(FailureClass.UPSTREAM_OVERLOADED);
    assertThat(overloaded.httpStatus()).isEqualTo(503);
  }

  @Test
  void anErrorEnvelopeInA200IsClassifiedByItsType() {
    GatewayError error =
        classify(
            200,
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"x\"}}");
    assertThat(error.kind()).isEqualTo(FailureClass.UPSTREAM_OVERLOADED);
    assertThat(classify(200, "{\"hello\":1}").kind()).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
  }

  @Test
  void decodingAnErrorBodyThrowsTheClassifiedError() {
    assertThatThrownBy(
            () ->
                adapter.decode(
                    new UpstreamResponse(
                        200,
                        Map.of(),
                        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}"
                            .getBytes(StandardCharsets.UTF_8)),
                    TestTargets.sonnet45()))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.error().kind()).isEqualTo(FailureClass.UPSTREAM_TRANSIENT));
    assertThatThrownBy(
            () ->
                adapter.decode(
                    new UpstreamResponse(
                        200, Map.of(), "not json".getBytes(StandardCharsets.UTF_8)),
                    TestTargets.sonnet45()))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.error().kind()).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE));
  }

  @Test
  void keepsRetryAfterOnlyForRetryableClasses() {
    UpstreamResponse limited =
        new UpstreamResponse(
            429,
            Map.of("retry-after", "2.5"),
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"x\"}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(adapter.classify(limited, TestTargets.sonnet45()).retryAfterSeconds()).isEqualTo(3);
    UpstreamResponse bad =
        new UpstreamResponse(
            400,
            Map.of("retry-after", "2"),
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"x\"}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(adapter.classify(bad, TestTargets.sonnet45()).retryAfterSeconds()).isNull();
  }
}
