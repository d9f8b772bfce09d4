package dev.switchboard.server.limits;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.config.LimitsConfig;
import dev.switchboard.server.routing.ModelRef;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.BudgetRule;
import dev.switchboard.server.storage.Guardrail;
import dev.switchboard.server.storage.KeyRateLimits;
import dev.switchboard.server.storage.Storage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Admission and settlement of requests: the admit stage calls {@link #admitAsync} before planning,
 * the settle stage calls {@link #settle} (or {@link #release}) when the request ends. Pure Java,
 * thread-safe; every store it reads is in memory, and the gate's step either completes at once (one
 * node) or later without blocking (a cluster's Redis), so it may run on an event loop.
 *
 * <p>{@link #admit} checks, in order: the guardrails' model lists (403); a non-positive balance
 * (402, free models too); the worst-case cost ({@link WorstCase}) against every budget that applies
 * at once, all-or-nothing ({@link BudgetCounters}: organisation credits, the key's limit, each
 * guardrail budget, the user's and the session's budget; 402 or 403, or a retryable 402 when only
 * requests in flight fill one) and the rate limits (free models per minute and per day, the key's
 * requests and tokens per minute; 429), both in the one step of the {@link LimitGate}: in memory on
 * one node, one Redis script in a cluster (503 when Redis cannot be reached). What passes holds the
 * worst case until {@link #settle} books the exact cost and lets the rest go. A request that no
 * limit applies to does not touch the gate.
 */
public final class Admission {

  /** What {@link #admit} returns: a {@link Reservation} or a {@link Refusal}. */
  public sealed interface Outcome permits Reservation, Refusal {}

  private final LimitsConfig config;
  private final Catalog catalog;
  private final Storage storage;
  private final LimitGate gate;
  private final Clock clock;

  public Admission(
      LimitsConfig config, Catalog catalog, Storage storage, LimitGate gate, Clock clock) {
    this.config = config;
    this.catalog = catalog;
    this.storage = storage;
    this.gate = gate;
    this.clock = clock;
  }

  /** Admission on one node's counters and buckets. */
  public Admission(
      LimitsConfig config,
      Catalog catalog,
      Storage storage,
      BudgetCounters counters,
      RateLimiter limiter,
      Clock clock) {
    this(config, catalog, storage, new LocalGate(counters, limiter), clock);
  }

  /** The usual wiring on one node: local counters on the storage's books, Bucket4j buckets. */
  public static Admission local(
      LimitsConfig config, Catalog catalog, Storage storage, Clock clock) {
    return new Admission(
        config,
        catalog,
        storage,
        new LocalBudgetCounters(new StorageSpendBook(storage)),
        new BucketRateLimiter(clock),
        clock);
  }

  /**
   * Admits the request, holding its worst-case cost, or refuses it; waits for the gate. For tests
   * and callers off the event loop (a local gate completes at once, a shared one after its round
   * trip).
   */
  public Outcome admit(AdmissionFacts facts) {
    return admitAsync(facts).toCompletableFuture().join();
  }

  /**
   * Admits the request, holding its worst-case cost, or refuses it. An unknown model is refused
   * with the planner's 400. Everything but the gate's one step is computed in memory; the stage
   * completes when the gate answers.
   */
  public CompletionStage<Outcome> admitAsync(AdmissionFacts facts) {
    Instant now = clock.instant();
    ApiKey key = facts.key();
    List<ModelRef> refs;
    try {
      refs = ModelRef.resolveAll(facts.request().modelChain(), catalog);
    } catch (GatewayException e) {
      return CompletableFuture.completedFuture(new Refusal(e.error()));
    }

    KeyPolicy policy = KeyPolicy.of(storage.guardrails().forKey(key.hash()));
    List<ModelRef> allowed = new ArrayList<>();
    Guardrail firstBlock = null;
    String firstBlocked = null;
    for (ModelRef ref : refs) {
      Guardrail g = policy.blocking(ref.model().id());
      if (g == null) {
        allowed.add(ref);
      } else if (firstBlock == null) {
        firstBlock = g;
        firstBlocked = ref.model().id();
      }
    }
    if (allowed.isEmpty()) {
      return CompletableFuture.completedFuture(
          Refusals.modelBlocked(firstBlocked, firstBlock.id(), firstBlock.name()));
    }

    List<EndpointEntry> endpoints = new ArrayList<>();
    boolean free = true;
    for (ModelRef ref : allowed) {
      boolean freeRef = ref.has(ModelRef.Variant.FREE) || ref.model().id().endsWith(":free");
      free &= freeRef;
      for (EndpointEntry e : ref.model().endpoints()) {
        if (!freeRef || e.pricing().isFree()) {
          endpoints.add(e);
        }
      }
    }
    if (endpoints.isEmpty()) {
      endpoints.addAll(allowed.getFirst().model().endpoints());
    }
    long promptTokens = PromptEstimator.estimate(facts.request());
    WorstCase worst =
        WorstCase.of(
            endpoints,
            facts.request().sampling().maxTokens(),
            promptTokens,
            PromptEstimator.images(facts.request()));

    BigDecimal credits = storage.credits().totalCredits();
    if (credits != null) {
      BigDecimal usage = storage.credits().totalUsage();
      if (usage.compareTo(credits) >= 0) {
        return CompletableFuture.completedFuture(Refusals.noCredits(credits, usage));
      }
    }

    List<BudgetLine> lines = lines(key, policy, facts, credits);
    List<LimitGate.Take> takes = new ArrayList<>();
    List<Function<RateLimiter.Verdict, Refusal>> refusals = new ArrayList<>();
    if (free && config.freeModels().enabled()) {
      freeModelLimits(credits, takes, refusals);
    }
    KeyRateLimits own = storage.keyLimits().get(key.hash());
    int rpm =
        own.requestsPerMinute() != null ? own.requestsPerMinute() : config.requestsPerMinute();
    int tpm = own.tokensPerMinute() != null ? own.tokensPerMinute() : config.tokensPerMinute();
    if (rpm > 0) {
      takes.add(new LimitGate.Take("key-rpm:" + key.hash(), RateLimiter.Rate.perMinute(rpm), 1));
      refusals.add(
          v ->
              Refusals.rateLimited(
                  "Rate limit exceeded: " + rpm + " requests per minute for this key.",
                  "key_requests_per_minute",
                  v));
    }
    LimitGate.Take tokenTake = null;
    if (tpm > 0) {
      tokenTake =
          new LimitGate.Take(
              "key-tpm:" + key.hash(),
              RateLimiter.Rate.perMinute(tpm),
              Math.min(promptTokens, tpm));
      takes.add(tokenTake);
      refusals.add(
          v ->
              Refusals.rateLimited(
                  "Rate limit exceeded: " + tpm + " tokens per minute for this key.",
                  "key_tokens_per_minute",
                  v));
    }
    if (lines.isEmpty() && takes.isEmpty()) {
      // No limit applies: nothing to hold or take, so the shared store is not asked (a cluster
      // serves such requests even while its Redis is down).
      return CompletableFuture.completedFuture(
          reservation(Hold.againstNoOne(worst.cost()), key, facts, policy, worst, null));
    }
    LimitGate.Take tokens = tokenTake;
    return gate.enter(lines, worst.cost(), takes, now)
        .thenApply(
            entry ->
                switch (entry) {
                  case LimitGate.Admitted a ->
                      reservation(a.hold(), key, facts, policy, worst, tokens);
                  case LimitGate.OverBudget o ->
                      Refusals.shortOf(o.shortOf(), worst, now, config.inFlightRetryAfterSeconds());
                  case LimitGate.RateLimited r -> refusals.get(r.index()).apply(r.verdict());
                  case LimitGate.Unavailable u -> Refusals.unavailable(u.reason());
                });
  }

  private static Reservation reservation(
      Hold hold,
      ApiKey key,
      AdmissionFacts facts,
      KeyPolicy policy,
      WorstCase worst,
      LimitGate.Take tokens) {
    return new Reservation(
        hold,
        key.hash(),
        facts.user(),
        facts.sessionId(),
        policy,
        worst,
        tokens == null ? null : tokens.bucket(),
        tokens == null ? null : tokens.rate(),
        tokens == null ? 0 : tokens.amount());
  }

  /**
   * Books the exact cost against every budget of the reservation and releases the rest of the hold;
   * corrects the key's tokens-per-minute bucket to the tokens really used. Idempotent.
   */
  public void settle(Reservation r, Settlement s) {
    if (r.finished()) {
      return;
    }
    gate.settle(
        r.hold(),
        new Charge(
            r.keyHash(), r.user(), r.sessionId(), s.cost(), s.byokCost(), s.at(), s.generationId()),
        r.tokenBucket() == null
            ? null
            : new LimitGate.Take(r.tokenBucket(), r.tokenRate(), s.tokens() - r.tokensTaken()));
  }

  /** Releases the whole hold without a charge (the request produced nothing). Idempotent. */
  public void release(Reservation r) {
    if (r.finished()) {
      return;
    }
    gate.release(
        r.hold(),
        r.tokenBucket() == null
            ? null
            : new LimitGate.Take(r.tokenBucket(), r.tokenRate(), -r.tokensTaken()));
  }

  /** The gate (for tests and for {@code /key}'s view of what is held). */
  public LimitGate counters() {
    return gate;
  }

  private List<BudgetLine> lines(
      ApiKey key, KeyPolicy policy, AdmissionFacts facts, BigDecimal credits) {
    List<BudgetLine> lines = new ArrayList<>();
    if (credits != null) {
      lines.add(BudgetLine.of(Holder.ORG, Window.LIFETIME, credits, false, LimitSource.CREDITS));
    }
    Holder keyHolder = Holder.key(key.hash());
    if (key.limit() != null) {
      lines.add(
          BudgetLine.of(
              keyHolder,
              Window.of(key.limitReset()),
              key.limit(),
              key.includeByokInLimit(),
              LimitSource.KEY_LIMIT));
    }
    for (Guardrail g : policy.guardrails()) {
      if (g.limitUsd() != null) {
        lines.add(
            new BudgetLine(
                keyHolder,
                Window.of(g.resetInterval()),
                g.limitUsd(),
                g.includeByokInBudgets(),
                LimitSource.GUARDRAIL,
                g.id(),
                g.name()));
      }
    }
    BudgetRule user = StorageSpendBook.rule(storage, "user", facts.user());
    if (user != null) {
      lines.add(
          BudgetLine.of(
              Holder.user(facts.user()),
              Window.of(user.resetInterval()),
              user.limitUsd(),
              false,
              LimitSource.USER_BUDGET));
    }
    BudgetRule session = StorageSpendBook.rule(storage, "session", facts.sessionId());
    if (session != null) {
      lines.add(
          BudgetLine.of(
              Holder.session(facts.sessionId()),
              Window.of(session.resetInterval()),
              session.limitUsd(),
              false,
              LimitSource.SESSION_BUDGET));
    }
    return lines;
  }

  private void freeModelLimits(
      BigDecimal credits,
      List<LimitGate.Take> takes,
      List<Function<RateLimiter.Verdict, Refusal>> refusals) {
    LimitsConfig.FreeModels f = config.freeModels();
    takes.add(
        new LimitGate.Take("free-models-per-min", RateLimiter.Rate.perMinute(f.perMinute()), 1));
    refusals.add(
        v ->
            Refusals.rateLimited(
                "Rate limit exceeded: free-models-per-min.", "free_models_per_minute", v));
    boolean high =
        credits == null || storage.credits().totalBought().compareTo(f.creditsThreshold()) >= 0;
    int perDay = high ? f.perDayHigh() : f.perDayLow();
    takes.add(new LimitGate.Take("free-models-per-day", RateLimiter.Rate.perUtcDay(perDay), 1));
    String message =
        high
            ? "Rate limit exceeded: free-models-per-day-high-balance."
            : "Rate limit exceeded: free-models-per-day. Add "
                + f.creditsThreshold().stripTrailingZeros().toPlainString()
                + " credits to unlock "
                + f.perDayHigh()
                + " free model requests per day";
    refusals.add(v -> Refusals.rateLimited(message, "free_models_per_day", v));
  }
}
