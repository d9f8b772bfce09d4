package dev.switchboard.server.limits;

import static dev.switchboard.server.limits.LimitsFixture.FREE;
import static dev.switchboard.server.limits.LimitsFixture.OTHER;
import static dev.switchboard.server.limits.LimitsFixture.PAID;
import static dev.switchboard.server.limits.LimitsFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.config.LimitsConfig;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.BudgetRule;
import dev.switchboard.server.storage.Guardrail;
import dev.switchboard.server.storage.KeyRateLimits;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  // "Hello there" is 2 o200k tokens: ceil(2 * 1.25) + 4 per message + 16 = 23 estimated.
  // Worst case at the dearest endpoint with max_tokens 100: 23 * $0.00001 + 100 * $0.00002.
  static final BigDecimal WORST_100 = new BigDecimal("0.002230000");

  // The same with the prompt's byte bound (34 tokens) in place of its count.
  static final BigDecimal BOUND_100 = new BigDecimal("0.002340000");

  final LimitsFixture f = new LimitsFixture("2026-03-04T12:00:00Z");

  private Reservation admitted(ApiKey key, Integer maxTokens) {
    Admission.Outcome o = f.admit(key, request(PAID, maxTokens, null));
    assertThat(o).as(String.valueOf(o)).isInstanceOf(Reservation.class);
    return (Reservation) o;
  }

  private GatewayError refused(ApiKey key, String model, Integer maxTokens, String extra) {
    Admission.Outcome o = f.admit(key, request(model, maxTokens, extra));
    assertThat(o).isInstanceOf(Refusal.class);
    return ((Refusal) o).error();
  }

  private void settle(Reservation r, String cost) {
    f.admission.settle(r, new Settlement(new BigDecimal(cost), null, 50, f.clock.instant(), null));
  }

  @Test
  void reservesTheWorstCaseAtTheDearestCandidateEndpoint() {
    // Far from the limit the prompt is not tokenized: "Hello there" is 11 bytes, so the bound is
    // ceil(11 * 1.25) + 4 + 16 = 34 tokens, and the worst case 34 * $0.00001 + 100 * $0.00002.
    Reservation r = admitted(f.key("k", "1", null), 100);
    assertThat(r.amount()).isEqualByComparingTo(BOUND_100);
    assertThat(r.worstCase().promptTokens()).isEqualTo(34);
    assertThat(f.admission.counters().reserved(Holder.key(keyHashOf(r))))
        .isEqualByComparingTo(BOUND_100);
  }

  @Test
  void nearTheLimitThePromptIsTokenizedAndTheTighterWorstCaseHeld() {
    // $0.00230 does not take the bound's $0.00234, but takes the counted $0.00223.
    Reservation r = admitted(f.key("k", "0.0023", null), 100);
    assertThat(r.amount()).isEqualByComparingTo(WORST_100);
    assertThat(r.worstCase().promptTokens()).isEqualTo(23);
    assertThat(f.admission.counters().reserved(Holder.key(keyHashOf(r))))
        .isEqualByComparingTo(WORST_100);
  }

  @Test
  void aKeyLimitTooSmallForTheWorstCaseGivesOpenRoutersAffordabilityMessage() {
    GatewayError e = refused(f.key("k", "0.001", null), PAID, 100, null);
    assertThat(e.httpStatus()).isEqualTo(402);
    // ($0.001 - 23 * $0.00001) / $0.00002 = 38.5 -> 38 tokens.
    assertThat(e.message())
        .startsWith(
            "This request requires more credits, or fewer max_tokens. You requested up to 100"
                + " tokens, but can only afford 38.");
    assertThat(e.metadata())
        .containsEntry("limit_source", "key_limit")
        .containsEntry("requested_tokens", 100L)
        .containsEntry("affordable_tokens", 38L);
  }

  @Test
  void withoutMaxTokensTheCheckAssumesTheModelsMaximumOutput() {
    GatewayError e = refused(f.key("k", "0.001", null), PAID, null, null);
    assertThat(e.message()).contains("You requested up to 1000 tokens, but can only afford 38.");
  }

  @Test
  void aPromptTheBudgetCannotCoverSaysSo() {
    GatewayError e = refused(f.key("k", "0.0001", null), PAID, 100, null);
    assertThat(e.httpStatus()).isEqualTo(402);
    assertThat(e.message()).startsWith("Prompt tokens limit exceeded: 23 > 10.");
  }

  @Test
  void anUnfundedOrganisationIsUnlimitedAndAFundedOneIsHeldToItsBalance() {
    ApiKey key = f.key("k", null, null);
    settle(admitted(key, 100), "0.002");
    f.storage.credits().add(new BigDecimal("0.003"), "test", null);
    // $0.003 bought, $0.002 used: $0.001 left, less than the worst case.
    GatewayError e = refused(key, PAID, 100, null);
    assertThat(e.httpStatus()).isEqualTo(402);
    assertThat(e.metadata()).containsEntry("limit_source", "credits");
    assertThat(e.message()).contains("POST /api/v1/credits");
  }

  @Test
  void aSpentBalanceRefusesEvenFreeModels() {
    ApiKey key = f.key("k", null, null);
    f.storage.credits().add(new BigDecimal("0.002"), "test", null);
    settle(admitted(key, 10), "0.002");
    GatewayError e = refused(key, FREE, 10, null);
    assertThat(e.httpStatus()).isEqualTo(402);
    assertThat(e.message()).startsWith("Insufficient credits.");
  }

  @Test
  void whenOnlyRequestsInFlightFillTheBudgetTheRefusalIsRetryable() {
    ApiKey key = f.key("k", "0.003", null);
    Reservation first = admitted(key, 100);
    GatewayError e = refused(key, PAID, 100, null);
    assertThat(e.httpStatus()).isEqualTo(402);
    assertThat(e.retryAfterSeconds()).isEqualTo(1L);
    assertThat(e.metadata())
        .containsEntry("limit_source", "in_flight_budget")
        .containsEntry("budget", "key_limit");
    settle(first, "0.0005");
    // $0.0005 spent + $0.00223 worst case <= $0.003: fits once the first has settled.
    admitted(key, 100);
  }

  @Test
  void settlingBooksTheExactCostAndReleasesTheRest() {
    ApiKey key = f.key("k", "1", null);
    Reservation r = admitted(key, 100);
    settle(r, "0.000123");
    settle(r, "0.5"); // a second settle of the same reservation does nothing
    f.admission.release(r);
    assertThat(f.storage.keys().usage(key.hash()).total()).isEqualByComparingTo("0.000123");
    assertThat(f.admission.counters().reserved(Holder.key(key.hash()))).isZero();
    assertThat(f.storage.credits().totalUsage()).isEqualByComparingTo("0.000123");
  }

  @Test
  void releasingBooksNothing() {
    ApiKey key = f.key("k", "1", null);
    Reservation r = admitted(key, 100);
    f.admission.release(r);
    settle(r, "0.5");
    assertThat(f.storage.keys().usage(key.hash()).total()).isZero();
    assertThat(f.admission.counters().reserved(Holder.key(key.hash()))).isZero();
  }

  @Test
  void aGuardrailBudgetBlocksWith403AndSaysWhenItResets() {
    ApiKey key = f.key("k", null, null);
    Guardrail g = guardrail("team", "0.001", "daily", null, null);
    f.storage.guardrails().put(g);
    f.storage.guardrails().assign(g.id(), List.of(key.hash()));
    GatewayError e = refused(key, PAID, 100, null);
    assertThat(e.httpStatus()).isEqualTo(403);
    assertThat(e.message()).startsWith("Request blocked: the daily budget of guardrail \"team\"");
    assertThat(e.metadata())
        .containsEntry("limit_source", "guardrail")
        .containsEntry("guardrail_id", g.id())
        .containsEntry("limit_usd", new BigDecimal("0.001000000"))
        .containsEntry("resets_at", "2026-03-05T00:00:00Z");
    assertThat(e.metadata().get("spend_usd")).isEqualTo(new BigDecimal("0E-9"));
  }

  @Test
  void everyBudgetIsCheckedOnItsOwn() {
    ApiKey key = f.key("k", "10", null);
    Guardrail loose = guardrail("loose", "5", "monthly", null, null);
    Guardrail tight = guardrail("tight", "0.002", null, null, null);
    f.storage.guardrails().put(loose);
    f.storage.guardrails().put(tight);
    f.storage.guardrails().assign(loose.id(), List.of(key.hash()));
    f.storage.guardrails().assign(tight.id(), List.of(key.hash()));
    GatewayError e = refused(key, PAID, 100, null);
    assertThat(e.metadata()).containsEntry("guardrail_id", tight.id());
  }

  @Test
  void guardrailModelListsRefuseAModelAndLeaveTheFallbacks() {
    // A limit, so the worst case is reserved (a key no budget applies to holds nothing).
    ApiKey key = f.key("k", "1", null);
    Guardrail g = guardrail("others only", null, null, List.of("other/*"), null);
    f.storage.guardrails().put(g);
    f.storage.guardrails().assign(g.id(), List.of(key.hash()));
    GatewayError e = refused(key, PAID, 10, null);
    assertThat(e.httpStatus()).isEqualTo(403);
    assertThat(e.message())
        .isEqualTo("Request blocked: model acme/paid is not allowed by guardrail \"others only\"");
    Admission.Outcome o = f.admit(key, request(PAID, 10, "\"models\":[\"" + OTHER + "\"]"));
    assertThat(o).isInstanceOf(Reservation.class);
    // Only other/model counts for the worst case: its $0.01 request fee is in it.
    assertThat(((Reservation) o).amount()).isGreaterThan(new BigDecimal("0.01"));
  }

  @Test
  void userAndSessionBudgetsStopARunawayLoop() {
    ApiKey key = f.key("k", null, null);
    f.storage
        .budgets()
        .put(new BudgetRule("session", "*", new BigDecimal("0.005"), null, Instant.EPOCH));
    String body = "\"session_id\":\"run-1\"";
    for (int i = 0; i < 2; i++) {
      Admission.Outcome o = f.admit(key, request(PAID, 100, body));
      settle((Reservation) o, "0.002");
    }
    GatewayError e = refused(key, PAID, 100, body);
    assertThat(e.httpStatus()).isEqualTo(403);
    assertThat(e.metadata()).containsEntry("limit_source", "session_budget");
    // Another session has its own budget under the same default rule.
    assertThat(f.admit(key, request(PAID, 100, "\"session_id\":\"run-2\"")))
        .isInstanceOf(Reservation.class);
    assertThat(f.storage.budgets().spent("session", "run-1").total()).isEqualByComparingTo("0.004");

    f.storage
        .budgets()
        .put(new BudgetRule("user", "alice", new BigDecimal("0.001"), "daily", Instant.EPOCH));
    GatewayError u = refused(key, PAID, 100, "\"user\":\"alice\"");
    assertThat(u.metadata()).containsEntry("limit_source", "user_budget");
    assertThat(f.admit(key, request(PAID, 100, "\"user\":\"bob\"")))
        .isInstanceOf(Reservation.class);
  }

  @Test
  void aDailyLimitResetsAtMidnightUtc() {
    f.clock.set("2026-03-04T23:59:59Z");
    ApiKey key = f.key("k", "0.003", "daily");
    settle(admitted(key, 100), "0.002");
    refused(key, PAID, 100, null);
    f.clock.set("2026-03-05T00:00:00Z");
    admitted(key, 100);
  }

  @Test
  void aWeeklyLimitResetsOnMonday() {
    f.clock.set("2026-03-08T23:59:59Z"); // a Sunday
    ApiKey key = f.key("k", "0.003", "weekly");
    settle(admitted(key, 100), "0.002");
    f.clock.set("2026-03-08T23:59:59.999Z");
    refused(key, PAID, 100, null);
    f.clock.set("2026-03-09T00:00:00Z"); // Monday
    admitted(key, 100);
  }

  @Test
  void aMonthlyLimitResetsOnTheFirst() {
    f.clock.set("2026-02-28T23:59:59Z");
    ApiKey key = f.key("k", "0.003", "monthly");
    settle(admitted(key, 100), "0.002");
    f.clock.set("2026-03-01T00:00:00Z");
    admitted(key, 100);
    f.clock.set("2026-03-01T00:00:01Z");
    ApiKey lifetime = f.key("forever", "0.003", null);
    settle(admitted(lifetime, 100), "0.002");
    f.clock.set("2027-01-01T00:00:00Z");
    refused(lifetime, PAID, 100, null);
  }

  @Test
  void freeModelsAllowTwentyRequestsAMinuteThen429WithRateLimitHeaders() {
    ApiKey key = f.key("k", null, null);
    for (int i = 0; i < 20; i++) {
      f.admission.release((Reservation) f.admit(key, request(FREE, 10, null)));
    }
    GatewayError e = refused(key, FREE, 10, null);
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.message()).isEqualTo("Rate limit exceeded: free-models-per-min.");
    assertThat(e.retryAfterSeconds()).isBetween(1L, 60L);
    @SuppressWarnings("unchecked")
    Map<String, Object> headers = (Map<String, Object>) e.metadata().get("headers");
    assertThat(headers)
        .containsEntry("X-RateLimit-Limit", "20")
        .containsEntry("X-RateLimit-Remaining", "0")
        .containsKeys("X-RateLimit-Reset", "Retry-After");
    long reset = Long.parseLong((String) headers.get("X-RateLimit-Reset"));
    assertThat(reset)
        .isGreaterThan(f.clock.millis())
        .isLessThanOrEqualTo(f.clock.millis() + 60_000);
    // Paid models are not limited by it, and a 429 holds nothing.
    assertThat(f.admission.counters().reserved(Holder.key(key.hash()))).isZero();
    admitted(key, 10);
    f.clock.advance(Duration.ofSeconds(60));
    assertThat(f.admit(key, request(FREE, 10, null))).isInstanceOf(Reservation.class);
  }

  @Test
  void freeModelsAllowFiftyADayBelowTenDollarsBoughtAndResetAtMidnight() {
    LimitsFixture g =
        new LimitsFixture(
            "2026-03-04T22:00:00Z",
            new LimitsConfig(
                0, 0, new LimitsConfig.FreeModels(true, 10_000, 50, 1_000, BigDecimal.TEN), 1));
    g.storage.credits().add(new BigDecimal("5"), "test", null);
    ApiKey key = g.key("k", null, null);
    for (int i = 0; i < 50; i++) {
      assertThat(g.admit(key, request(FREE, 10, null))).isInstanceOf(Reservation.class);
    }
    Admission.Outcome o = g.admit(key, request(FREE, 10, null));
    GatewayError e = ((Refusal) o).error();
    assertThat(e.message())
        .isEqualTo(
            "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model"
                + " requests per day");
    @SuppressWarnings("unchecked")
    Map<String, Object> headers = (Map<String, Object>) e.metadata().get("headers");
    assertThat(headers)
        .containsEntry("X-RateLimit-Limit", "50")
        .containsEntry(
            "X-RateLimit-Reset",
            Long.toString(Instant.parse("2026-03-05T00:00:00Z").toEpochMilli()));
    g.clock.set("2026-03-05T00:00:00Z");
    assertThat(g.admit(key, request(FREE, 10, null))).isInstanceOf(Reservation.class);
    // Buying enough credits unlocks the 1,000 a day.
    g.storage.credits().add(new BigDecimal("5"), "test", null);
    for (int i = 0; i < 100; i++) {
      assertThat(g.admit(key, request(FREE, 10, null))).isInstanceOf(Reservation.class);
    }
  }

  @Test
  void freeModelLimitsCanBeSwitchedOff() {
    LimitsFixture g =
        new LimitsFixture(
            "2026-03-04T22:00:00Z",
            new LimitsConfig(
                0, 0, new LimitsConfig.FreeModels(false, 20, 50, 1_000, BigDecimal.TEN), 1));
    ApiKey key = g.key("k", null, null);
    for (int i = 0; i < 30; i++) {
      assertThat(g.admit(key, request(FREE, 10, null))).isInstanceOf(Reservation.class);
    }
  }

  @Test
  void aKeysOwnRequestsAndTokensPerMinute() {
    ApiKey key = f.key("k", null, null);
    f.storage.keyLimits().put(key.hash(), new KeyRateLimits(2, null));
    admitted(key, 10);
    admitted(key, 10);
    GatewayError e = refused(key, PAID, 10, null);
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.metadata()).containsEntry("limit_source", "key_requests_per_minute");

    ApiKey tokens = f.key("t", null, null);
    f.storage.keyLimits().put(tokens.hash(), new KeyRateLimits(null, 50));
    Reservation a = admitted(tokens, 10); // 23 prompt tokens taken
    admitted(tokens, 10); // 46
    assertThat(refused(tokens, PAID, 10, null).metadata())
        .containsEntry("limit_source", "key_tokens_per_minute");
    // The first used fewer tokens than estimated: settling gives the difference back.
    f.admission.settle(a, new Settlement(BigDecimal.ZERO, null, 3, f.clock.instant(), null));
    admitted(tokens, 10);
  }

  @Test
  void theConfiguredDefaultRateAppliesToKeysWithoutTheirOwn() {
    LimitsFixture g =
        new LimitsFixture(
            "2026-03-04T22:00:00Z", new LimitsConfig(1, 0, LimitsConfig.FreeModels.DEFAULT, 1));
    ApiKey key = g.key("k", null, null);
    ApiKey unlimited = g.key("u", null, null);
    g.storage.keyLimits().put(unlimited.hash(), new KeyRateLimits(0, null));
    assertThat(g.admit(key, request(PAID, 10, null))).isInstanceOf(Reservation.class);
    assertThat(g.admit(key, request(PAID, 10, null))).isInstanceOf(Refusal.class);
    for (int i = 0; i < 5; i++) {
      assertThat(g.admit(unlimited, request(PAID, 10, null))).isInstanceOf(Reservation.class);
    }
  }

  @Test
  void anUnknownModelIsTheUsual400() {
    GatewayError e = refused(f.key("k", null, null), "nope/nothing", 10, null);
    assertThat(e.httpStatus()).isEqualTo(400);
  }

  private Guardrail guardrail(
      String name, String limit, String reset, List<String> models, List<String> providers) {
    return new Guardrail(
        java.util.UUID.randomUUID().toString(),
        name,
        null,
        limit == null ? null : new BigDecimal(limit),
        reset,
        false,
        models,
        null,
        providers,
        null,
        false,
        false,
        f.clock.instant(),
        null);
  }

  private String keyHashOf(Reservation r) {
    return r.keyHash();
  }
}
