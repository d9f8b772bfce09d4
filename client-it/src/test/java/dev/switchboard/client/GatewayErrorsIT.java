package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.simulator.Fault;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway's error answers arrive as the right typed exceptions, and retries recover. */
@ExtendWith(InProcessGateway.Extension.class)
class GatewayErrorsIT {

  static final String XIAOMI = "xiaomi/mimo-v2-flash:free";
  static final ChatRequest HI = Chat.request(XIAOMI).user("hi").build();

  static InProcessGateway gw;
  static SwitchboardClient noRetry;

  @BeforeAll
  static void start(InProcessGateway gateway) {
    gw = gateway;
    noRetry = gw.client().retryPolicy(RetryPolicy.none()).build();
  }

  @AfterAll
  static void stop() {
    noRetry.close();
  }

  @AfterEach
  void clear() {
    gw.simulator().clearFaults();
  }

  @Test
  void unknownModelIsABadRequest() {
    BadRequestException e =
        catchThrowableOfType(
            BadRequestException.class,
            () -> noRetry.chat().create(Chat.request("acme/nothing-1").user("hi").build()));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).contains("acme/nothing-1");
    assertThat(e.errorType()).hasValue("invalid_request");
  }

  @Test
  void unknownKeyIsAnAuthenticationError() {
    try (SwitchboardClient bad = gw.client().apiKey("sk-sb-v1-not-a-key").build()) {
      AuthenticationException e =
          catchThrowableOfType(AuthenticationException.class, () -> bad.chat().create(HI));
      assertThat(e.status()).isEqualTo(401);
    }
  }

  @Test
  void managementKeyCallingInferenceIsPermissionDenied() {
    try (SwitchboardClient mgmt = gw.management().build()) {
      PermissionDeniedException e =
          catchThrowableOfType(PermissionDeniedException.class, () -> mgmt.chat().create(HI));
      assertThat(e.status()).isEqualTo(403);
      assertThat(e.moderation()).isEmpty();
    }
  }

  @Test
  void unknownGenerationIsNotFoundAfterTheShortWait() {
    long t0 = System.nanoTime();
    NotFoundException e =
        catchThrowableOfType(
            NotFoundException.class,
            () -> noRetry.generation("gen-0-doesnotexist", Duration.ofMillis(300)));
    assertThat(e.status()).isEqualTo(404);
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void upstreamThatNeverAnswersIsARequestTimeout() {
    gw.simulator().addFault("xiaomi", new Fault.Timeout(0, 0));
    RequestTimeoutException e =
        catchThrowableOfType(RequestTimeoutException.class, () -> noRetry.chat().create(HI));
    assertThat(e.status()).isEqualTo(408);
  }

  @Test
  void upstreamRateLimitIsRateLimitedWithRetryAfterAndProvider() {
    gw.simulator().addFault("xiaomi", new Fault.Status(429, null, Map.of("Retry-After", "3"), 0));
    RateLimitedException e =
        catchThrowableOfType(RateLimitedException.class, () -> noRetry.chat().create(HI));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(3));
    assertThat(e.providerName()).hasValue("Xiaomi");
    assertThat(e.raw()).hasValueSatisfying(raw -> assertThat(raw).contains("rate"));
  }

  @Test
  void rateLimitedCallIsRetriedAfterRetryAfterAndSucceeds() {
    long before = gw.simulator().requestCount("xiaomi");
    gw.simulator().addFault("xiaomi", new Fault.Status(429, null, Map.of("Retry-After", "1"), 3));
    try (SwitchboardClient retrying =
        gw.client().retryPolicy(RetryPolicy.defaults().withMaxRetries(3)).build()) {
      long t0 = System.nanoTime();
      ChatResponse r = retrying.chat().create(HI);
      assertThat(r.text()).startsWith("Simulated answer");
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
    assertThat(gw.simulator().requestCount("xiaomi") - before).isGreaterThanOrEqualTo(4);
  }

  @Test
  void upstreamFailureIsAProviderErrorWithProviderNameAndRaw() {
    gw.simulator().addFault("xiaomi", new Fault.Status(500, null, Map.of(), 0));
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> noRetry.chat().create(HI));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e).hasMessage("Provider returned error");
    assertThat(e.providerName()).hasValue("Xiaomi");
    assertThat(e.raw()).isPresent();
  }

  @Test
  void overloadedUpstreamIsNoProviderAvailable() {
    gw.simulator().addFault("xiaomi", new Fault.Status(503, null, Map.of(), 0));
    NoProviderAvailableException e =
        catchThrowableOfType(NoProviderAvailableException.class, () -> noRetry.chat().create(HI));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.providerName()).hasValue("Xiaomi");
  }

  @Test
  void transientProviderErrorIsRetriedUntilTheGatewayAnswers() {
    gw.simulator().addFault("xiaomi", new Fault.Status(500, null, Map.of(), 2));
    try (SwitchboardClient retrying =
        gw.client().retryPolicy(RetryPolicy.defaults().withMaxRetries(3)).build()) {
      assertThat(retrying.chat().create(HI).text()).startsWith("Simulated answer");
    }
  }
}
