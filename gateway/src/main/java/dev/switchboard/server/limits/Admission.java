package dev.switchboard.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.config.LimitsConfig;
import dev.switchboard.server.routing.ModelRef;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.BudgetRule;
import dev.switchboard.server.storage.Guardrail;
import dev.switchboard.server.storage.KeyRateLimits;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.Usd;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Admission and settlement of requests: the admit stage calls {@link #admitAsync} before planning,
 * the settle stage calls {@link #settle} (or {@link #release}) when the request ends. Pure Java and
 * thread-safe; every store it reads is in memory, and the one step that touches shared state (the
 * {@link LimitGate}) completes at once on one node and later, without blocking, on a cluster's
 * Redis, so it may run on an event loop.
 *
 * <p>{@link #admit} checks, in order: the guardrails' model lists (403); a non-positive balance
 * (402, free models too); then, in the gate's one all-or-nothing step, the worst-case cost ({@link
 * WorstCase}) against every budget that applies ({@link BudgetCounters}: organisation credits, the
 * key's limit, each guardrail budget, the user's and the session's budget; 402 or 403, or a
 * retryable 402 when only requests in flight fill one) and the rate limits (free models per minute
 * and per day, the key's requests and tokens per minute; 429); a cluster whose Redis cannot be
 * reached refuses with 503. What passes holds the worst case until {@link #settle} books the exact
 * cost and lets the rest go. A request that no limit applies to does not touch the gate.
 */
public final class Admission {

  /** What {@link #admit} returns: a {@link Reservation} or a {@link Refusal}. */
  public sealed interface Outcome permits Reservation, Refusal {}

  /**
   * Counts a request's prompt tokens for the reservation; {@link PromptEstimator} in production.
   * {@link #bound} is the cheap upper bound tried first, {@link #estimate} the tokenizer's count.
   */
  @FunctionalInterface
  interface Estimator {
    long estimate(LlmRequest request);

    /** An upper bound of {@link #estimate}, computed without tokenizing. */
    default long bound(LlmRequest request) {
      return PromptEstimator.bound(request);
    }
  }

  private final LimitsConfig config;
  private final Catalog catalog;
  private final Storage storage;
  private final LimitGate gate;
  private final Clock clock;
  private final Estimator estimator;
  // Per key, what admission derives from it on every request: the rate-limit bucket names and the
  // combined guardrail policy (recomputed when the guardrail book replaces the key's list).
  // The caches read on every request do their upkeep (reads recorded, expiry) on the reading
  // thread, a few entries at a time, instead of handing it to the common pool: that hand-off woke
  // a pool thread about once every four requests, about 1.5 us of CPU a request on two cores
  // (docs/performance.md, 2026-12-04). Nothing here blocks: no removal listener, no loader.
  private final Cache<String, PerKey> perKey =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterAccess(Duration.ofHours(1))
          .executor(Runnable::run)
          .build();

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

  /** Admission on {@code gate} (a cluster's is on Redis). */
  public Admission(
      LimitsConfig config, Catalog catalog, Storage storage, LimitGate gate, Clock clock) {
    this(config, catalog, storage, gate, clock, PromptEstimator::estimate);
  }

  Admission(
      LimitsConfig config,
      Catalog catalog,
      Storage storage,
      LimitGate gate,
      Clock clock,
      Estimator estimator) {
    this.config = config;
    this.catalog = catalog;
    this.storage = storage;
    this.gate = gate;
    this.clock = clock;
    this.estimator = estimator;
  }

  /**
   * Loads the tokenizer on a background thread when a tokens-per-minute limit exists (the default
   * or a key's own), since every request of such a key is counted. Returns at once. Budgets alone
   * do not load it: they count only near a limit, and the first such count loads it off the event
   * loop ({@link PromptEstimator#LOADER}). Kept out of the heap otherwise, the tokenizer's 30 MB of
   * small objects do not slow every young collection (docs/performance.md).
   */
  public void warmTokenizerIfCounting() {
    Thread.ofPlatform()
        .daemon()
        .name("switchboard-limits-survey")
        .start(
            () -> {
              try {
                if (anyTokensPerMinute()) {
                  PromptEstimator.warm();
                }
              } catch (RuntimeException e) {
                // Only a warm-up: the first request that needs the tokenizer loads it.
                org.slf4j.LoggerFactory.getLogger(Admission.class)
                    .debug("limits survey for the tokenizer warm-up failed", e);
              }
            });
  }

  private boolean anyTokensPerMinute() {
    if (config.tokensPerMinute() > 0) {
      return true;
    }
    for (ApiKey k : storage.keys().list(0, 1_000, false)) {
      Integer own = storage.keyLimits().get(k.hash()).tokensPerMinute();
      if (own != null && own > 0) {
        return true;
      }
    }
    return false;
  }

  /** The usual wiring on one node: local counters on the storage's books, Bucket4j buckets. */
  public static Admission local(
      LimitsConfig config, Catalog catalog, Storage storage, Clock clock) {
    return local(config, catalog, storage, clock, PromptEstimator::estimate);
  }

  static Admission local(
      LimitsConfig config, Catalog catalog, Storage storage, Clock clock, Estimator estimator) {
    return new Admission(
        config,
        catalog,
        storage,
        new LocalGate(
            new LocalBudgetCounters(new StorageSpendBook(storage)), new BucketRateLimiter(clock)),
        clock,
        estimator);
  }

  /**
   * Admits the request, holding its worst-case cost, or refuses it. An unknown model is refused
   * with the planner's 400.
   *
   * <p>Only the work the key's policy needs is done: the prompt is tokenized when a
   * tokens-per-minute limit takes its count, or when the worst case of its byte bound ({@link
   * PromptEstimator#bound}) does not fit a budget; otherwise a budget holds that bound's worst case
   * untokenized. The worst case is computed only when some budget applies. A request with no budget
   * line holds nothing (a zero hold, which still books the exact cost at settlement).
   */
  public Outcome admit(AdmissionFacts facts) {
    return admitAsync(facts).toCompletableFuture().join();
  }

  /**
   * {@link #admit}, completing when the gate answers: at once on one node, after the Redis round
   * trip in a cluster. Everything else is computed in memory, so it may be called on an event loop.
   */
  public CompletionStage<Outcome> admitAsync(AdmissionFacts facts) {
    Instant now = clock.instant();
    ApiKey key = facts.key();
    LlmRequest request = facts.request();
    List<ModelRef> refs;
    try {
      refs = ModelRef.resolveAll(request.modelChain(), catalog);
    } catch (GatewayException e) {
      return CompletableFuture.completedFuture(new Refusal(e.error()));
    }

    PerKey derived = perKey.get(key.hash(), PerKey::new);
    KeyPolicy policy = derived.policy(storage.guardrails().forKey(key.hash()));
    List<ModelRef> allowed = refs;
    if (policy != KeyPolicy.NONE) {
      allowed = new ArrayList<>(refs.size());
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
    }

    boolean free = true;
    for (ModelRef ref : allowed) {
      free &= isFree(ref);
    }

    BigDecimal credits = storage.credits().totalCredits();
    if (credits != null) {
      BigDecimal usage = storage.credits().totalUsage();
      if (usage.compareTo(credits) >= 0) {
        return CompletableFuture.completedFuture(Refusals.noCredits(credits, usage));
      }
    }

    KeyRateLimits own = storage.keyLimits().get(key.hash());
    int rpm =
        own.requestsPerMinute() != null ? own.requestsPerMinute() : config.requestsPerMinute();
    int tpm = own.tokensPerMinute() != null ? own.tokensPerMinute() : config.tokensPerMinute();

    List<BudgetLine> lines = lines(key, policy, facts, credits);
    boolean budgeted = !lines.isEmpty();
    // A tokens-per-minute bucket takes the tokenizer's count. A budget alone first holds the worst
    // case of the prompt's byte bound (no tokenizing) and counts tokens only if that does not fit.
    boolean counted = tpm > 0;
    long promptTokens = 0;
    if (counted && !PromptEstimator.loaded()) {
      // The first count loads the tokenizer (30 MB): load it off the event loop, then admit again
      // (nothing above has held or taken anything).
      return CompletableFuture.runAsync(PromptEstimator::load, PromptEstimator.LOADER)
          .thenCompose(loaded -> admitAsync(facts));
    }
    if (counted) {
      promptTokens = estimator.estimate(request);
    } else if (budgeted) {
      promptTokens = estimator.bound(request);
    }
    WorstCase worst = null;
    BigDecimal amount = BigDecimal.ZERO;
    if (budgeted) {
      worst = worstCase(allowed, request, promptTokens, counted);
      amount = worst.cost();
    }

    List<LimitGate.Take> takes = new ArrayList<>(2);
    List<Function<RateLimiter.Verdict, Refusal>> refusals = new ArrayList<>(2);
    if (free && config.freeModels().enabled()) {
      freeModelLimits(credits, takes, refusals);
    }
    if (rpm > 0) {
      takes.add(new LimitGate.Take(derived.rpmBucket, derived.rpmRate(rpm), 1));
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
          new LimitGate.Take(derived.tpmBucket, derived.tpmRate(tpm), Math.min(promptTokens, tpm));
      takes.add(tokenTake);
      refusals.add(
          v ->
              Refusals.rateLimited(
                  "Rate limit exceeded: " + tpm + " tokens per minute for this key.",
                  "key_tokens_per_minute",
                  v));
    }
    if (!budgeted && takes.isEmpty()) {
      // No limit applies: nothing to hold or take, so the gate is not asked (a cluster serves such
      // requests even while its Redis is down). The hold still books the exact cost at settlement.
      return CompletableFuture.completedFuture(
          reservation(Hold.againstNoOne(amount), key, facts, policy, worst, null, lines));
    }
    WorstCase worstCase = worst;
    LimitGate.Take tokens = tokenTake;
    Function<WorstCase, Function<LimitGate.Entry, Outcome>> outcome =
        w ->
            entry ->
                switch (entry) {
                  case LimitGate.Admitted a ->
                      reservation(a.hold(), key, facts, policy, w, tokens, lines);
                  case LimitGate.OverBudget o ->
                      Refusals.shortOf(o.shortOf(), w, now, config.inFlightRetryAfterSeconds());
                  case LimitGate.RateLimited r -> refusals.get(r.index()).apply(r.verdict());
                  case LimitGate.Unavailable u -> Refusals.unavailable(u.reason());
                };
    CompletionStage<LimitGate.Entry> entered = gate.enter(lines, amount, takes, now);
    List<ModelRef> candidates = allowed;
    // One node's gate answers at once: the outcome is then computed here, without a stage chain.
    LimitGate.Entry answered = done(entered);
    if (answered != null && (counted || !budgeted || !(answered instanceof LimitGate.OverBudget))) {
      try {
        return CompletableFuture.completedFuture(outcome.apply(worstCase).apply(answered));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    if (counted || !budgeted) {
      return entered.thenApply(outcome.apply(worstCase));
    }
    // The byte bound did not fit: count the tokens and try once more with the tighter worst case
    // (a refusal held and took nothing, so the second try starts clean).
    return entered.thenCompose(
        entry -> {
          if (!(entry instanceof LimitGate.OverBudget)) {
            return CompletableFuture.completedFuture(outcome.apply(worstCase).apply(entry));
          }
          if (!PromptEstimator.loaded()) {
            // The first count near a limit loads the tokenizer (30 MB): off the event loop.
            return CompletableFuture.supplyAsync(
                    () -> estimator.estimate(request), PromptEstimator.LOADER)
                .thenCompose(n -> enterCounted(n, candidates, request, lines, takes, now, outcome));
          }
          return enterCounted(
              estimator.estimate(request), candidates, request, lines, takes, now, outcome);
        });
  }

  /** What {@code stage} completed with normally, or null while it runs (or when it failed). */
  private static <T> T done(CompletionStage<T> stage) {
    return stage instanceof CompletableFuture<T> f && f.isDone() && !f.isCompletedExceptionally()
        ? f.join()
        : null;
  }

  private CompletionStage<Outcome> enterCounted(
      long promptTokens,
      List<ModelRef> candidates,
      LlmRequest request,
      List<BudgetLine> lines,
      List<LimitGate.Take> takes,
      Instant now,
      Function<WorstCase, Function<LimitGate.Entry, Outcome>> outcome) {
    WorstCase exact = worstCase(candidates, request, promptTokens, true);
    return gate.enter(lines, exact.cost(), takes, now).thenApply(outcome.apply(exact));
  }

  /**
   * The worst case of {@code promptTokens}. Where no endpoint states its maximum output, the output
   * bound is the context length minus the prompt: with the tokenizer's count ({@code counted}),
   * minus that count; with the byte bound, the whole context length, so that the bound's worst case
   * is never below the count's.
   */
  private static WorstCase worstCase(
      List<ModelRef> allowed, LlmRequest request, long promptTokens, boolean counted) {
    return WorstCase.of(
        endpoints(allowed),
        request.sampling().maxTokens(),
        promptTokens,
        counted ? promptTokens : 0,
        PromptEstimator.images(request));
  }

  private static Reservation reservation(
      Hold hold,
      ApiKey key,
      AdmissionFacts facts,
      KeyPolicy policy,
      WorstCase worst,
      LimitGate.Take tokens,
      List<BudgetLine> lines) {
    return new Reservation(
        hold,
        key.hash(),
        facts.user(),
        facts.sessionId(),
        policy,
        worst,
        tokens == null ? null : tokens.bucket(),
        tokens == null ? null : tokens.rate(),
        tokens == null ? 0 : tokens.amount(),
        lines);
  }

  /**
   * Makes the hold cover {@code spent} USD (what the request has cost so far) plus the worst case
   * of {@code next} (a further model round of the server-tool loop; null for none): when the hold
   * is smaller, it is extended by the difference against the same budget lines, all or nothing.
   * Completes with false when a budget cannot take the difference (nothing is then held), so the
   * caller stops before spending it; a request no budget applies to is always covered.
   */
  public CompletionStage<Boolean> cover(Reservation r, BigDecimal spent, LlmRequest next) {
    if (r.lines().isEmpty()) {
      return CompletableFuture.completedFuture(true);
    }
    BigDecimal needed = spent;
    if (next != null) {
      List<ModelRef> refs;
      try {
        refs = ModelRef.resolveAll(next.modelChain(), catalog);
      } catch (GatewayException e) {
        return CompletableFuture.completedFuture(false);
      }
      needed =
          needed.add(
              WorstCase.of(
                      endpoints(refs),
                      next.sampling().maxTokens(),
                      estimator.estimate(next),
                      PromptEstimator.images(next))
                  .cost());
    }
    BigDecimal more = needed.subtract(r.amount());
    if (more.signum() <= 0) {
      return CompletableFuture.completedFuture(true);
    }
    return gate.enter(
            r.lines(), more.setScale(Usd.SCALE, RoundingMode.CEILING), List.of(), clock.instant())
        .thenApply(
            entry -> {
              if (entry instanceof LimitGate.Admitted a) {
                r.extended(a.hold());
                return true;
              }
              return false;
            });
  }

  private static boolean isFree(ModelRef ref) {
    return ref.has(ModelRef.Variant.FREE) || ref.model().id().endsWith(":free");
  }

  /** Every endpoint the worst case is taken over (the free ones only for a free variant). */
  private static List<EndpointEntry> endpoints(List<ModelRef> allowed) {
    List<EndpointEntry> endpoints = new ArrayList<>();
    for (ModelRef ref : allowed) {
      boolean freeRef = isFree(ref);
      for (EndpointEntry e : ref.model().endpoints()) {
        if (!freeRef || e.pricing().isFree()) {
          endpoints.add(e);
        }
      }
    }
    if (endpoints.isEmpty()) {
      endpoints.addAll(allowed.getFirst().model().endpoints());
    }
    return endpoints;
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
    releaseExtensions(r);
  }

  /** The extra holds go once the charge is booked against the first (it may exceed that one). */
  private void releaseExtensions(Reservation r) {
    for (Hold h : r.extensions()) {
      gate.release(h, null);
    }
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
    releaseExtensions(r);
  }

  /** The gate (for tests and for {@code /key}'s view of what is held). */
  public LimitGate counters() {
    return gate;
  }

  private List<BudgetLine> lines(
      ApiKey key, KeyPolicy policy, AdmissionFacts facts, BigDecimal credits) {
    List<BudgetLine> lines = new ArrayList<>(2);
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
    String userId = facts.user();
    BudgetRule user = StorageSpendBook.rule(storage, "user", userId);
    if (user != null) {
      lines.add(
          BudgetLine.of(
              Holder.user(userId),
              Window.of(user.resetInterval()),
              user.limitUsd(),
              false,
              LimitSource.USER_BUDGET));
    }
    String sessionId = facts.sessionId();
    BudgetRule session = StorageSpendBook.rule(storage, "session", sessionId);
    if (session != null) {
      lines.add(
          BudgetLine.of(
              Holder.session(sessionId),
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

  /**
   * What admission derives from one key, kept between its requests so the hot path does not rebuild
   * it: the names of its rate-limit buckets, the rate shapes last used, and its guardrails combined
   * (valid while the guardrail book hands out the same list; the book replaces a key's list whole
   * when it changes).
   */
  private static final class PerKey {
    final String rpmBucket;
    final String tpmBucket;
    private volatile Cached policy = new Cached(List.of(), KeyPolicy.NONE);
    // The per-minute shapes last used (a key's limits rarely change; a change makes a new one).
    private volatile RateLimiter.Rate rpmRate;
    private volatile RateLimiter.Rate tpmRate;

    private record Cached(List<Guardrail> source, KeyPolicy policy) {}

    PerKey(String hash) {
      rpmBucket = "key-rpm:" + hash;
      tpmBucket = "key-tpm:" + hash;
    }

    KeyPolicy policy(List<Guardrail> guardrails) {
      if (guardrails.isEmpty()) {
        return KeyPolicy.NONE;
      }
      Cached c = policy;
      if (c.source() != guardrails) {
        c = new Cached(guardrails, KeyPolicy.of(guardrails));
        policy = c;
      }
      return c.policy();
    }

    RateLimiter.Rate rpmRate(long capacity) {
      RateLimiter.Rate r = rpmRate;
      if (r == null || r.capacity() != capacity) {
        r = RateLimiter.Rate.perMinute(capacity);
        rpmRate = r;
      }
      return r;
    }

    RateLimiter.Rate tpmRate(long capacity) {
      RateLimiter.Rate r = tpmRate;
      if (r == null || r.capacity() != capacity) {
        r = RateLimiter.Rate.perMinute(capacity);
        tpmRate = r;
      }
      return r;
    }
  }
}
