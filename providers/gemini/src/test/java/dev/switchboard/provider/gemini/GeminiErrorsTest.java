package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiErrorsTest {

  private static GatewayError classify(int status, String body, Map<String, String> headers) {
    return new GeminiAdapter()
        .classify(
            new UpstreamResponse(status, headers, body.getBytes(StandardCharsets.UTF_8)),
            TestTargets.flash3());
  }

  private static String google(int code, String status, String message, String details) {
    return "{\"error\":{\"code\":"
        + code
        + ",\"message\":\""
        + message
        + "\",\"status\":\""
        + status
        + "\""
        + (details == null ? "" : ",\"details\":" + details)
        + "}}";
  }

  @ParameterizedTest(name = "{0} {1}: {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "400|INVALID_ARGUMENT|API key not valid. Please pass a valid API key.|UPSTREAM_CREDENTIAL|502",
        "400|INVALID_ARGUMENT|The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).|CONTEXT_TOO_LONG|400",
        "400|FAILED_PRECONDITION|User location is not supported for the API use.|UPSTREAM_CREDENTIAL|502",
        "400|INVALID_ARGUMENT|Request contains an invalid argument.|UPSTREAM_INVALID_REQUEST|400",
        "401|UNAUTHENTICATED|Request had invalid authentication credentials.|UPSTREAM_CREDENTIAL|502",
        "403|PERMISSION_DENIED|Permission denied.|UPSTREAM_CREDENTIAL|502",
        "404|NOT_FOUND|models/x is not found.|UPSTREAM_MODEL_UNAVAILABLE|404",
        "429|RESOURCE_EXHAUSTED|Resource has been exhausted.|UPSTREAM_RATE_LIMITED|429",
        "500|INTERNAL|An internal error has occurred.|UPSTREAM_TRANSIENT|502",
        "503|UNAVAILABLE|The model is overloaded. Please try again later.|UPSTREAM_OVERLOADED|503",
        "529|INTERNAL|Overloaded (from a proxy).|UPSTREAM_OVERLOADED|503",
        "504|DEADLINE_EXCEEDED|Deadline expired.|UPSTREAM_TRANSIENT|502"
      })
  void classifiesGoogleStatuses(
      int code, String status, String message, FailureClass kind, int rendered) {
    GatewayError error = classify(code, google(code, status, message, null), Map.of());
    assertThat(error.kind()).isEqualTo(kind);
    assertThat(error.httpStatus()).isEqualTo(rendered);
    assertThat(error.providerCode()).isEqualTo(status);
    assertThat(error.message()).isEqualTo("Provider returned error");
    assertThat(error.provider()).isEqualTo("Google AI Studio");
  }

  @org.junit.jupiter.api.Test
  void anApiKeyReasonIsACredentialFailureWhateverTheMessage() {
    String details =
        "[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]";
    assertThat(classify(400, google(400, "INVALID_ARGUMENT", "Bad key.", details), Map.of()).kind())
        .isEqualTo(FailureClass.UPSTREAM_CREDENTIAL);
  }

  @org.junit.jupiter.api.Test
  void retryAfterComesFromTheHeaderFirstThenRetryInfo() {
    String details =
        "[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"7s\"}]";
    String body = google(429, "RESOURCE_EXHAUSTED", "slow down", details);
    assertThat(classify(429, body, Map.of()).retryAfterSeconds()).isEqualTo(7L);
    assertThat(classify(429, body, Map.of("retry-after", "3")).retryAfterSeconds()).isEqualTo(3L);
    assertThat(
            classify(503, google(503, "UNAVAILABLE", "busy", details), Map.of())
                .retryAfterSeconds())
        .isEqualTo(7L);
  }

  @org.junit.jupiter.api.Test
  void aDailyQuotaWithoutRetryInfoIsTheUpstreamAccountsQuota() {
    String details =
        "[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":"
            + "[{\"quotaId\":\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\"}]}]";
    GatewayError error =
        classify(429, google(429, "RESOURCE_EXHAUSTED", "quota", details), Map.of());
    assertThat(error.kind()).isEqualTo(FailureClass.UPSTREAM_QUOTA);
    assertThat(error.httpStatus()).isEqualTo(502);
  }

  @org.junit.jupiter.api.Test
  void bodiesThatAreNotGooglesShapeAreBadResponsesUnlessTheStatusSpeaks() {
    assertThat(classify(400, "<html>proxy</html>", Map.of()).kind())
        .isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
    assertThat(classify(200, "{\"candidates\":[]}", Map.of()).kind())
        .isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
    assertThat(classify(502, "<html>bad gateway</html>", Map.of()).kind())
        .isEqualTo(FailureClass.UPSTREAM_TRANSIENT);
    assertThat(classify(429, "", Map.of("retry-after", "2")).retryAfterSeconds()).isEqualTo(2L);
    assertThat(classify(200, google(500, "INTERNAL", "x", null), Map.of()).kind())
        .isEqualTo(FailureClass.UPSTREAM_TRANSIENT);
  }
}
