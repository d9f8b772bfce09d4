package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A named policy assigned to keys (OpenRouter's guardrails, reference §14.9 and peers): a USD
 * budget with its reset window, model and provider allow- and deny-lists, zero data retention and
 * data-collection denial. Null lists mean "no restriction"; an empty allow-list allows nothing.
 *
 * @param id a UUID
 * @param name non-blank
 * @param description may be null
 * @param limitUsd the budget, null for none; measured per key against the key's spend in the window
 * @param resetInterval {@code daily|weekly|monthly}, or null for a lifetime budget
 * @param includeByokInBudgets whether BYOK spend counts against the budget
 * @param allowedModels model ids ({@code author/slug}, {@code author/*}), or null
 * @param ignoredModels model ids that are refused, or null
 * @param allowedProviders provider slugs or names, or null
 * @param ignoredProviders provider slugs or names that are never used, or null
 * @param enforceZdr only zero-data-retention endpoints
 * @param denyDataCollection only endpoints that neither store nor train on prompts
 * @param createdAt creation time
 * @param updatedAt last change, or null
 */
public record Guardrail(
    String id,
    String name,
    String description,
    BigDecimal limitUsd,
    String resetInterval,
    boolean includeByokInBudgets,
    List<String> allowedModels,
    List<String> ignoredModels,
    List<String> allowedProviders,
    List<String> ignoredProviders,
    boolean enforceZdr,
    boolean denyDataCollection,
    Instant createdAt,
    Instant updatedAt) {

  public Guardrail {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw StorageErrors.invalid("name must not be empty");
    }
    if (limitUsd != null && limitUsd.signum() < 0) {
      throw StorageErrors.invalid("limit_usd must not be negative");
    }
    limitUsd = Usd.normalize(limitUsd);
    ApiKey.requireLimitReset(resetInterval);
    allowedModels = copy(allowedModels);
    ignoredModels = copy(ignoredModels);
    allowedProviders = copy(allowedProviders);
    ignoredProviders = copy(ignoredProviders);
    createdAt = ApiKey.micros(Objects.requireNonNull(createdAt, "createdAt"));
    updatedAt = ApiKey.micros(updatedAt);
  }

  private static List<String> copy(List<String> list) {
    return list == null ? null : List.copyOf(list);
  }
}
