package dev.switchboard.server.limits;

import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.server.storage.Guardrail;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The guardrails of one key combined as OpenRouter combines them (peers, guardrails): allow-lists
 * intersect, deny-lists add up, zero data retention and data-collection denial are OR-ed; budgets
 * are not combined (each is its own {@link BudgetLine}). A request's own {@code provider.only}
 * narrows the allow-list further and cannot widen it; its {@code zdr:false} cannot switch off a
 * guardrail's ZDR (checklist 80, 81, 86).
 *
 * @param guardrails the key's guardrails
 * @param allowedProviders the intersection of the allow-lists (lower case), or null for any
 * @param ignoredProviders the union of the deny-lists (lower case)
 * @param zdr whether any guardrail enforces zero data retention
 * @param denyDataCollection whether any guardrail denies data collection
 */
public record KeyPolicy(
    List<Guardrail> guardrails,
    Set<String> allowedProviders,
    Set<String> ignoredProviders,
    boolean zdr,
    boolean denyDataCollection) {

  /** No guardrail: everything allowed. */
  public static final KeyPolicy NONE = new KeyPolicy(List.of(), null, Set.of(), false, false);

  public static KeyPolicy of(List<Guardrail> guardrails) {
    if (guardrails.isEmpty()) {
      return NONE;
    }
    Set<String> allowed = null;
    Set<String> ignored = new LinkedHashSet<>();
    boolean zdr = false;
    boolean deny = false;
    for (Guardrail g : guardrails) {
      if (g.allowedProviders() != null) {
        Set<String> mine = normalized(g.allowedProviders());
        if (allowed == null) {
          allowed = mine;
        } else {
          allowed.retainAll(mine);
        }
      }
      if (g.ignoredProviders() != null) {
        ignored.addAll(normalized(g.ignoredProviders()));
      }
      zdr |= g.enforceZdr();
      deny |= g.denyDataCollection();
    }
    return new KeyPolicy(
        List.copyOf(guardrails),
        allowed == null ? null : Set.copyOf(allowed),
        Set.copyOf(ignored),
        zdr,
        deny);
  }

  /** The first guardrail that refuses {@code modelId}, or null when every one allows it. */
  public Guardrail blocking(String modelId) {
    for (Guardrail g : guardrails) {
      if (g.allowedModels() != null && !matchesAny(g.allowedModels(), modelId)) {
        return g;
      }
      if (g.ignoredModels() != null && matchesAny(g.ignoredModels(), modelId)) {
        return g;
      }
    }
    return null;
  }

  /**
   * The request's provider preferences with this policy applied, for the planner's filters: {@code
   * only} becomes the intersection with the allow-list (an empty intersection leaves no endpoint,
   * so the request ends in a 404), {@code ignore} the union with the deny-list, {@code zdr} and
   * {@code data_collection: deny} OR-ed.
   */
  public ProviderPreferences applyTo(ProviderPreferences p) {
    if (this == NONE || guardrails.isEmpty()) {
      return p;
    }
    List<String> only = p.only();
    if (allowedProviders != null) {
      if (only == null) {
        only = List.copyOf(allowedProviders);
      } else {
        List<String> both = new ArrayList<>();
        for (String o : only) {
          if (allowedProviders.contains(normalize(o))) {
            both.add(o);
          }
        }
        only = List.copyOf(both);
      }
    }
    List<String> ignore = p.ignore();
    if (!ignoredProviders.isEmpty()) {
      Set<String> union = new LinkedHashSet<>(ignore == null ? List.of() : ignore);
      union.addAll(ignoredProviders);
      ignore = List.copyOf(union);
    }
    return new ProviderPreferences(
        p.order(),
        p.allowFallbacks(),
        p.requireParameters(),
        p.dataCollectionDeny() || denyDataCollection,
        p.zdr() || zdr,
        only,
        ignore,
        p.quantizations(),
        p.sort(),
        p.partitionNone(),
        p.minThroughput(),
        p.maxLatency(),
        p.maxPrice(),
        p.hedge(),
        p.hedgeDelayMs());
  }

  /**
   * Whether a model list names {@code modelId}: the id itself, its base without a variant ({@code
   * author/slug} names {@code author/slug:free}), or {@code author/*}.
   */
  static boolean matchesAny(List<String> list, String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    int colon = id.indexOf(':');
    String base = colon < 0 ? id : id.substring(0, colon);
    int slash = id.indexOf('/');
    String author = slash < 0 ? id : id.substring(0, slash);
    for (String item : list) {
      String m = item.toLowerCase(Locale.ROOT);
      if (m.equals(id) || m.equals(base) || m.equals(author + "/*")) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> normalized(List<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      out.add(normalize(n));
    }
    return out;
  }

  /** Lower case with spaces as hyphens, so {@code Amazon Bedrock} meets {@code amazon-bedrock}. */
  static String normalize(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replace(' ', '-');
  }
}
