package dev.switchboard.server.routing;

import dev.switchboard.core.error.Availability;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.ModelEntry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A model reference as a client writes it, resolved against the catalog: {@code author/slug}, with
 * static variants that are catalog entries of their own ({@code :free}, {@code :thinking}, {@code
 * :extended} where the catalog lists them) and dynamic variants that change routing ({@code
 * :nitro}, {@code :floor}, {@code :online}, {@code :free} on a model without a static free entry,
 * {@code :exacto}), stacked in any order ({@code :free:online}); {@code ~author/family-latest}
 * aliases resolve to the newest catalog model of that family.
 *
 * @param requested what the client wrote
 * @param model the concrete catalog model that this reference serves with
 * @param variants the dynamic variants left after the catalog match
 * @param alias whether it came through a {@code ~...-latest} alias
 */
public record ModelRef(String requested, ModelEntry model, Set<Variant> variants, boolean alias) {

  /** Dynamic variants: they change routing, not the model. */
  public enum Variant {
    /** Throughput first ({@code provider.sort = throughput}). */
    NITRO,
    /** Price first ({@code provider.sort = price}). */
    FLOOR,
    /** Web search plugin on (the plugin itself is a later feature; the flag is kept). */
    ONLINE,
    /** Free endpoints only. */
    FREE,
    /** Quality first; treated as the default order until tool-quality stats exist. */
    EXACTO
  }

  public ModelRef {
    variants = variants.isEmpty() ? Set.of() : Set.copyOf(variants);
  }

  public boolean has(Variant v) {
    return variants.contains(v);
  }

  /** Resolves {@code ref}; unknown models and variants are a 400 with OpenRouter's message. */
  public static ModelRef resolve(String ref, Catalog catalog) {
    if (ref == null || ref.isBlank()) {
      throw invalid(ref);
    }
    String trimmed = ref.trim();
    if (trimmed.startsWith("~")) {
      return alias(trimmed, catalog);
    }
    ModelEntry exact = catalog.model(trimmed).orElse(null);
    if (exact != null) {
      return new ModelRef(trimmed, exact, Set.of(), false);
    }
    // Peel variants off the right until what is left is a catalog entry.
    String[] parts = trimmed.split(":", -1);
    for (int keep = parts.length - 1; keep >= 1; keep--) {
      String base = String.join(":", java.util.Arrays.copyOfRange(parts, 0, keep));
      ModelEntry m = catalog.model(base).orElse(null);
      if (m != null) {
        EnumSet<Variant> dynamic = EnumSet.noneOf(Variant.class);
        for (int i = keep; i < parts.length; i++) {
          dynamic.add(variant(parts[i], ref));
        }
        return new ModelRef(trimmed, m, dynamic, false);
      }
    }
    throw invalid(ref);
  }

  private static Variant variant(String name, String ref) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "nitro" -> Variant.NITRO;
      case "floor" -> Variant.FLOOR;
      case "online" -> Variant.ONLINE;
      case "free" -> Variant.FREE;
      case "exacto" -> Variant.EXACTO;
      default -> throw invalid(ref);
    };
  }

  /** {@code ~author/family-latest[:variants]}: the newest model of the author's family. */
  private static ModelRef alias(String ref, Catalog catalog) {
    String body = ref.substring(1);
    String[] parts = body.split(":", -1);
    String name = parts[0];
    int slash = name.indexOf('/');
    if (slash < 0 || !name.endsWith("-latest")) {
      throw invalid(ref);
    }
    String author = name.substring(0, slash);
    String family = name.substring(slash + 1, name.length() - "-latest".length());
    ModelEntry newest = null;
    for (ModelEntry m : catalog.models()) {
      if (m.author().equals(author)
          && family.equals(m.family())
          && (newest == null || m.created() > newest.created())) {
        newest = m;
      }
    }
    if (newest == null) {
      throw invalid(ref);
    }
    EnumSet<Variant> dynamic = EnumSet.noneOf(Variant.class);
    for (int i = 1; i < parts.length; i++) {
      dynamic.add(variant(parts[i], ref));
    }
    return new ModelRef(ref, newest, dynamic, true);
  }

  /** Resolves every reference of a request: the primary model, then the fallbacks. */
  public static List<ModelRef> resolveAll(List<String> refs, Catalog catalog) {
    List<ModelRef> out = new ArrayList<>(refs.size());
    for (String r : refs) {
      out.add(resolve(r, catalog));
    }
    return out;
  }

  static GatewayException invalid(String ref) {
    return new GatewayException(
        Availability.attach(
            GatewayError.of(FailureClass.INVALID_REQUEST, ref + " is not a valid model ID")
                .withMetadata("error_type", "invalid_request"),
            "model_not_found",
            false,
            List.of(ref),
            List.of()));
  }
}
