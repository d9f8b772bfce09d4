package dev.switchboard.server.routing;

import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.core.provider.Target;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.routing.EndpointFilters.Exclusion;
import dev.switchboard.server.routing.EndpointFilters.Filter;
import dev.switchboard.server.routing.EndpointFilters.RequestNeeds;
import dev.switchboard.server.routing.ProviderRegistry.ActiveProvider;
import dev.switchboard.server.stats.LiveStats;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Turns a request into the ordered list of endpoints to try (reference §5 and §6): resolve the
 * model references (variants, aliases), drop endpoints that cannot take the request (provider
 * preferences, data policy, price, parameters, limits, modalities), order the rest (provider order,
 * sort, or price-weighted random among healthy endpoints), apply performance preferences, open
 * breakers and sticky sessions, and record why. Pure apart from the random choice and the live
 * stats it reads.
 */
public final class RoutePlanner {

  /**
   * Request-level inputs that are not in the canonical request. {@code preferences} are the
   * provider preferences to route with when they differ from the request's own (the request's
   * narrowed by the key's guardrails); null routes with the request's.
   */
  public record Context(
      String keyHash,
      String sessionHeader,
      boolean hedgeByDefault,
      Long hedgeDelayMs,
      ProviderPreferences preferences) {
    public static final Context NONE = new Context(null, null, false, null, null);

    public Context(
        String keyHash, String sessionHeader, boolean hedgeByDefault, Long hedgeDelayMs) {
      this(keyHash, sessionHeader, hedgeByDefault, hedgeDelayMs, null);
    }
  }

  private final Catalog catalog;
  private final ProviderRegistry providers;
  private final LiveStats stats;
  private final StickyRoutes sticky;
  private final Supplier<RandomGenerator> random;

  public RoutePlanner(
      Catalog catalog,
      ProviderRegistry providers,
      LiveStats stats,
      StickyRoutes sticky,
      Supplier<RandomGenerator> random) {
    this.catalog = catalog;
    this.providers = providers;
    this.stats = stats;
    this.sticky = sticky;
    this.random = random;
  }

  /**
   * The request as it is to be planned: mandatory reasoning enforced ({@link ReasoningRules}); a
   * {@link dev.switchboard.core.error.GatewayException} (400) when it cannot be served as asked.
   */
  public LlmRequest prepare(LlmRequest request) {
    return ReasoningRules.apply(request, catalog);
  }

  public RoutePlan plan(LlmRequest request) {
    return plan(request, Context.NONE);
  }

  public RoutePlan plan(LlmRequest request, Context ctx) {
    List<ModelRef> refs = ModelRef.resolveAll(request.modelChain(), catalog);
    ProviderPreferences prefs = ctx.preferences() != null ? ctx.preferences() : request.provider();
    RequestNeeds needs = RequestNeeds.of(request);
    String session = SessionKeys.of(request, ctx.sessionHeader());
    List<RoutePlan.Decision> decisions = new ArrayList<>();
    Set<Exclusion> exclusions = new LinkedHashSet<>();
    long now = stats.nowMs();
    RandomGenerator rnd = random.get();
    String tier = ServiceTiers.requested(request);
    List<String> namedByTag = namedByTag(prefs);
    List<Boolean> flexOnly = new ArrayList<>();

    List<List<Ranked>> perModel = new ArrayList<>();
    for (ModelRef ref : refs) {
      List<Ranked> usable = new ArrayList<>();
      Exclusion modelReason = EndpointFilters.excludeModel(ref.model(), needs);
      for (EndpointEntry e : ref.model().endpoints()) {
        ActiveProvider p =
            providers
                .get(e.provider())
                .flatMap(a -> providers.forEndpoint(a, ref.model(), e))
                .orElse(null);
        Exclusion why;
        if (p == null) {
          why = new Exclusion(Filter.PROVIDER_NOT_ENABLED, "provider not enabled");
        } else if (modelReason != null) {
          why = modelReason;
        } else {
          why =
              EndpointFilters.exclude(
                  request,
                  prefs,
                  ref,
                  e,
                  EndpointFilters.names(e.provider(), p.config().name()),
                  needs);
        }
        if (why == null && !ServiceTiers.eligible(e, tier, ref, namedByTag)) {
          why =
              new Exclusion(
                  Filter.SERVICE_TIER,
                  ServiceTiers.of(e)
                      + " tier endpoint (service_tier not "
                      + ServiceTiers.of(e)
                      + ")");
        }
        if (why != null) {
          exclusions.add(why);
          decisions.add(
              new RoutePlan.Decision(
                  ref.model().id(), e.provider(), false, -1, why.reason(), null));
        } else {
          usable.add(new Ranked(ref, e, p));
        }
      }
      softPreference(usable, needs, decisions);
      softPreference(usable, needs.parameters().contains("verbosity"), "verbosity", decisions);
      flexOnly.add(
          ServiceTiers.FLEX.equals(tier) && onlyTier(usable, ServiceTiers.FLEX, decisions));
      perModel.add(usable);
    }

    String sort = sortOf(prefs, refs);
    List<Ranked> ordered = new ArrayList<>();
    if (prefs.partitionNone() && sort != null) {
      List<Ranked> all = new ArrayList<>();
      perModel.forEach(all::addAll);
      ordered.addAll(Ordering.order(all, prefs, sort, stats, now, rnd));
    } else {
      for (int i = 0; i < perModel.size(); i++) {
        String modelSort = sort != null ? sort : sortOf(prefs, List.of(refs.get(i)));
        if (modelSort == null && flexOnly.get(i)) {
          modelSort = "price"; // flex endpoints, cheapest first (reference §6.10)
        }
        List<Ranked> list = Ordering.order(perModel.get(i), prefs, modelSort, stats, now, rnd);
        if (ServiceTiers.PRIORITY.equals(tier)) {
          Ordering.priorityFirst(list, stats, now);
        }
        if (session != null && !prefs.hasOrder() && ctx.keyHash() != null) {
          Ordering.stick(list, sticky.get(ctx.keyHash(), refs.get(i).model().id(), session));
        }
        ordered.addAll(list);
      }
    }

    dropped(perModel, ordered, prefs, exclusions, decisions);
    if (ordered.isEmpty()) {
      throw NoRoute.error(refs.getFirst().model().id(), request.modelChain(), exclusions);
    }
    List<Candidate> candidates = new ArrayList<>(ordered.size());
    int rank = 0;
    for (Ranked r : ordered) {
      candidates.add(candidate(r));
      decisions.add(
          new RoutePlan.Decision(
              r.ref().model().id(), r.endpoint().provider(), true, rank++, r.note(), r.weight()));
    }
    boolean hedge =
        (prefs.hedge() != null ? prefs.hedge() : ctx.hedgeByDefault())
            && candidates.size() > 1
            && Idempotence.safeToHedge(request);
    Long hedgeDelay = prefs.hedgeDelayMs() != null ? prefs.hedgeDelayMs() : ctx.hedgeDelayMs();
    return new RoutePlan(candidates, strategy(refs, sort), decisions, hedge, hedgeDelay, session);
  }

  /**
   * Tools are a hard need (filtered above); structured outputs a soft one: kept only if some do.
   */
  private static void softPreference(
      List<Ranked> usable, RequestNeeds needs, List<RoutePlan.Decision> decisions) {
    if (!needs.structured() && !needs.parameters().contains("response_format")) {
      return;
    }
    String param = needs.structured() ? "structured_outputs" : "response_format";
    boolean some =
        usable.stream()
            .anyMatch(
                r -> r.endpoint().supports(param) || r.endpoint().supports("response_format"));
    if (!some) {
      return;
    }
    usable.removeIf(
        r -> {
          boolean drop = !r.endpoint().supports(param) && !r.endpoint().supports("response_format");
          if (drop) {
            decisions.add(
                new RoutePlan.Decision(
                    r.ref().model().id(), r.endpoint().provider(), false, -1, "no " + param, null));
          }
          return drop;
        });
  }

  /**
   * A soft preference for one parameter ({@code verbosity}, checklist 84): when the request sets it
   * and some endpoints list it in their supported parameters, only those stay; when none do, all
   * stay and the parameter is passed as is.
   */
  private static void softPreference(
      List<Ranked> usable, boolean wanted, String param, List<RoutePlan.Decision> decisions) {
    if (!wanted || usable.stream().noneMatch(r -> r.endpoint().supports(param))) {
      return;
    }
    usable.removeIf(
        r -> {
          boolean drop = !r.endpoint().supports(param);
          if (drop) {
            decisions.add(
                new RoutePlan.Decision(
                    r.ref().model().id(), r.endpoint().provider(), false, -1, "no " + param, null));
          }
          return drop;
        });
  }

  /**
   * Keeps only the endpoints of {@code tier} when there are some (a flex request never falls back
   * to a default-tier endpoint); says whether it did.
   */
  private static boolean onlyTier(
      List<Ranked> usable, String tier, List<RoutePlan.Decision> decisions) {
    if (usable.stream().noneMatch(r -> ServiceTiers.of(r.endpoint()).equals(tier))) {
      return false;
    }
    usable.removeIf(
        r -> {
          boolean drop = !ServiceTiers.of(r.endpoint()).equals(tier);
          if (drop) {
            decisions.add(
                new RoutePlan.Decision(
                    r.ref().model().id(),
                    r.endpoint().provider(),
                    false,
                    -1,
                    "not a " + tier + " endpoint (service_tier: " + tier + ")",
                    null));
          }
          return drop;
        });
    return true;
  }

  /** The provider slugs {@code order} and {@code only} name, lower-cased: tier tags admit. */
  private static List<String> namedByTag(ProviderPreferences prefs) {
    List<String> out = new ArrayList<>();
    if (prefs.order() != null) {
      prefs.order().forEach(n -> out.add(n.toLowerCase(java.util.Locale.ROOT)));
    }
    if (prefs.only() != null) {
      prefs.only().forEach(n -> out.add(n.toLowerCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  /** Endpoints {@code provider.order} with {@code allow_fallbacks: false} left out. */
  private static void dropped(
      List<List<Ranked>> perModel,
      List<Ranked> ordered,
      ProviderPreferences prefs,
      Set<Exclusion> exclusions,
      List<RoutePlan.Decision> decisions) {
    for (List<Ranked> usable : perModel) {
      for (Ranked r : usable) {
        if (!ordered.contains(r)) {
          Exclusion why =
              new Exclusion(
                  Filter.ALLOWED_PROVIDERS,
                  prefs.hasOrder()
                      ? "not in provider.order (allow_fallbacks: false)"
                      : "allow_fallbacks: false");
          exclusions.add(why);
          decisions.add(
              new RoutePlan.Decision(
                  r.ref().model().id(), r.endpoint().provider(), false, -1, why.reason(), null));
        }
      }
    }
  }

  private static String sortOf(ProviderPreferences prefs, List<ModelRef> refs) {
    if (prefs.sort() != null) {
      return prefs.sort();
    }
    for (ModelRef r : refs) {
      if (r.has(ModelRef.Variant.NITRO)) {
        return "throughput";
      }
      if (r.has(ModelRef.Variant.FLOOR)) {
        return "price";
      }
      if (r.has(ModelRef.Variant.EXACTO)) {
        return "exacto";
      }
    }
    return null;
  }

  private static String strategy(List<ModelRef> refs, String sort) {
    if (refs.getFirst().alias()) {
      return "alias";
    }
    if (refs.size() > 1) {
      return "fallback";
    }
    return sort == null ? "direct" : "sort:" + sort;
  }

  private static Candidate candidate(Ranked r) {
    ActiveProvider p = r.provider();
    Target target =
        new Target(
            p.config().slug(),
            p.config().name(),
            p.config().baseUrl(),
            r.endpoint().upstreamModel(),
            p.config().apiKey(),
            p.profile(),
            r.endpoint().maxCompletionTokens());
    return new Candidate(r.ref().model(), r.endpoint(), p.adapter(), target);
  }

  /** An endpoint still in the running, with its ordering note and weight (for the trace). */
  static final class Ranked {
    private final ModelRef ref;
    private final EndpointEntry endpoint;
    private final ActiveProvider provider;
    private String note = "";
    private Double weight;

    Ranked(ModelRef ref, EndpointEntry endpoint, ActiveProvider provider) {
      this.ref = ref;
      this.endpoint = endpoint;
      this.provider = provider;
    }

    ModelRef ref() {
      return ref;
    }

    EndpointEntry endpoint() {
      return endpoint;
    }

    ActiveProvider provider() {
      return provider;
    }

    String note() {
      return note;
    }

    Double weight() {
      return weight;
    }

    void note(String n) {
      note = note.isEmpty() ? n : note + "; " + n;
    }

    void weight(Double w) {
      weight = w;
    }

    double price() {
      return endpoint.pricing().prompt().add(endpoint.pricing().completion()).doubleValue();
    }
  }
}
