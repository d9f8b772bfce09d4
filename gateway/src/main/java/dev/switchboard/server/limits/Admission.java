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
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Admission and settlement of requests: the admit stage calls {@link #admit} before planning, the
 * settle stage calls {@link #settle} (or {@link #release}) when the request ends. Pure Java,
 * thread-safe, no I/O on the way (every store it reads is in memory), so it may run on an event
 * loop.
 *
 * <p>{@link #admit} checks, in order: the guardrails' model lists (403); a non-positive balance
 * (402, free models too); the worst-case cost ({@link WorstCase}) against every budget that applies
 * at once, all-or-nothing ({@link BudgetCounters}: organisation credits, the key's limit, each
 * guardrail budget, the user's and the session's budget; 402 or 403, or a retryable 402 when only
 * requests in flight fill one); then the rate limits (free models per minute and per day, the key's
 * requests and tokens per minute; 429, after which the hold is released). What passes holds the
 * worst case until {@link #settle} books the exact cost and lets the rest go.
 */
public final class Admission {

  /** What {@link #admit} returns: a {@link Reservation} or a {@link Refusal}. */
  public sealed interface Outcome permits Reservation, Refusal {}

  /**
   * Counts a request's prompt tokens for the reservation; {@link PromptEstimator} in production.
   */
  @FunctionalInterface
  interface Estimator {
    long estimate(LlmRequest request);
  }

  private final LimitsConfig config;
  private final Catalog catalog;
  private final Storage storage;
  private final BudgetCounters counters;
  private final RateLimiter limiter;
  private final Clock clock;
  private final Estimator estimator;
  // Per key, what admission derives from it on every request: the rate-limit bucket names and the
  // combined guardrail policy (recomputed when the guardrail book replaces the key's list).
  private final Cache<String, PerKey> perKey =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();

  public Admission(
      LimitsConfig config,
      Catalog catalog,
      Storage storage,
      BudgetCounters counters,
      RateLimiter limiter,
      Clock clock) {
    this(config, catalog, storage, counters, limiter, clock, PromptEstimator::estimate);
  }

  Admission(
      LimitsConfig config,
      Catalog catalog,
      Storage storage,
      BudgetCounters counters,
      RateLimiter limiter,
      Clock clock,
      Estimator estimator) {
    this.config = config;
    this.catalog = catalog;
    this.storage = storage;
    this.counters = counters;
    this.limiter = limiter;
    this.clock = clock;
    this.estimator = estimator;
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
        new LocalBudgetCounters(new StorageSpendBook(storage)),
        new BucketRateLimiter(clock),
        clock,
        estimator);
  }

  /**
   * Admits the request, holding its worst-case cost, or refuses it. An unknown model is refused
   * with the planner's 400.
   *
   * <p>Only the work the key's policy needs is done: the prompt is tokenized only when a budget
   * line or a tokens-per-minute limit will use the estimate, and the worst case is computed only
   * when some budget applies. A request with no budget line holds nothing (a zero hold, which still
   * books the exact cost at settlement).
   */
  public Outcome admit(AdmissionFacts facts) {
    Instant now = clock.instant();
    ApiKey key = facts.key();
    LlmRequest request = facts.request();
    List<ModelRef> refs;
    try {
      refs = ModelRef.resolveAll(request.modelChain(), catalog);
    } catch (GatewayException e) {
      return new Refusal(e.error());
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
        return Refusals.modelBlocked(firstBlocked, firstBlock.id(), firstBlock.name());
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
        return Refusals.noCredits(credits, usage);
      }
    }

    KeyRateLimits own = storage.keyLimits().get(key.hash());
    int rpm =
        own.requestsPerMinute() != null ? own.requestsPerMinute() : config.requestsPerMinute();
    int tpm = own.tokensPerMinute() != null ? own.tokensPerMinute() : config.tokensPerMinute();

    List<BudgetLine> lines = lines(key, policy, facts, credits);
    boolean budgeted = !lines.isEmpty();
    long promptTokens = budgeted || tpm > 0 ? estimator.estimate(request) : 0;
    WorstCase worst = null;
    BigDecimal amount = BigDecimal.ZERO;
    if (budgeted) {
      worst =
          WorstCase.of(
              endpoints(allowed),
              request.sampling().maxTokens(),
              promptTokens,
              PromptEstimator.images(request));
      amount = worst.cost();
    }
    BudgetCounters.Reserved reserved = counters.reserve(lines, amount, now);
    if (reserved instanceof BudgetCounters.Short s) {
      return Refusals.shortOf(s, worst, now, config.inFlightRetryAfterSeconds());
    }
    Hold hold = ((BudgetCounters.Granted) reserved).hold();

    Refusal limited = null;
    String tokenBucket = null;
    RateLimiter.Rate tokenRate = null;
    long tokensTaken = 0;
    if (free && config.freeModels().enabled()) {
      limited = freeModelLimits(credits);
    }
    if (limited == null && rpm > 0) {
      RateLimiter.Verdict v = limiter.take(derived.rpmBucket, derived.rpmRate(rpm), 1);
      if (!v.allowed()) {
        limited =
            Refusals.rateLimited(
                "Rate limit exceeded: " + rpm + " requests per minute for this key.",
                "key_requests_per_minute",
                v);
      }
    }
    if (limited == null && tpm > 0) {
      tokenBucket = derived.tpmBucket;
      tokenRate = derived.tpmRate(tpm);
      tokensTaken = Math.min(promptTokens, tpm);
      RateLimiter.Verdict v = limiter.take(tokenBucket, tokenRate, tokensTaken);
      if (!v.allowed()) {
        limited =
            Refusals.rateLimited(
                "Rate limit exceeded: " + tpm + " tokens per minute for this key.",
                "key_tokens_per_minute",
                v);
      }
    }
    if (limited != null) {
      counters.release(hold);
      return limited;
    }
    return new Reservation(
        hold,
        key.hash(),
        facts.user(),
        facts.sessionId(),
        policy,
        worst,
        tokenBucket,
        tokenRate,
        tokensTaken);
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
    counters.settle(
        r.hold(),
        new Charge(
            r.keyHash(),
            r.user(),
            r.sessionId(),
            s.cost(),
            s.byokCost(),
            s.at(),
            s.generationId()));
    if (r.tokenBucket() != null) {
      limiter.adjust(r.tokenBucket(), r.tokenRate(), s.tokens() - r.tokensTaken());
    }
  }

  /** Releases the whole hold without a charge (the request produced nothing). Idempotent. */
  public void release(Reservation r) {
    if (r.finished()) {
      return;
    }
    counters.release(r.hold());
    if (r.tokenBucket() != null) {
      limiter.adjust(r.tokenBucket(), r.tokenRate(), -r.tokensTaken());
    }
  }

  /** The counters (for tests and for {@code /key}'s view of what is held). */
  public BudgetCounters counters() {
    return counters;
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

  private Refusal freeModelLimits(BigDecimal credits) {
    LimitsConfig.FreeModels f = config.freeModels();
    RateLimiter.Verdict minute =
        limiter.take("free-models-per-min", RateLimiter.Rate.perMinute(f.perMinute()), 1);
    if (!minute.allowed()) {
      return Refusals.rateLimited(
          "Rate limit exceeded: free-models-per-min.", "free_models_per_minute", minute);
    }
    boolean high =
        credits == null || storage.credits().totalBought().compareTo(f.creditsThreshold()) >= 0;
    int perDay = high ? f.perDayHigh() : f.perDayLow();
    RateLimiter.Verdict day =
        limiter.take("free-models-per-day", RateLimiter.Rate.perUtcDay(perDay), 1);
    if (day.allowed()) {
      return null;
    }
    String message =
        high
            ? "Rate limit exceeded: free-models-per-day-high-balance."
            : "Rate limit exceeded: free-models-per-day. Add "
                + f.creditsThreshold().stripTrailingZeros().toPlainString()
                + " credits to unlock "
                + f.perDayHigh()
                + " free model requests per day";
    return Refusals.rateLimited(message, "free_models_per_day", day);
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
