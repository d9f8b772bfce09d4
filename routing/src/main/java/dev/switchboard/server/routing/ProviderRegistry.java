package dev.switchboard.server.routing;

import dev.switchboard.core.provider.DialectProfile;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.config.GatewayConfig.ProviderConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The adapters the gateway has, listed explicitly by dialect (no classpath scanning), and the
 * configured providers that can be used: enabled, with a dialect we speak and a credential where
 * one is needed.
 */
public final class ProviderRegistry {

  /** A provider ready to take calls. */
  public record ActiveProvider(
      ProviderConfig config, DialectProfile profile, ProviderAdapter adapter) {}

  /** Why a configured provider is not used; logged at start. */
  public record Skipped(String slug, String reason) {}

  private final Map<String, ActiveProvider> active;
  private final List<Skipped> skipped;
  private final boolean demo;

  private ProviderRegistry(
      Map<String, ActiveProvider> active, List<Skipped> skipped, boolean demo) {
    this.active = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(active));
    this.skipped = List.copyOf(skipped);
    this.demo = demo;
  }

  /**
   * The dialect profile and adapter to reach {@code model} on {@code endpoint} of {@code provider}:
   * the endpoint's own profile when the catalog names one, else the provider's. In demo mode, where
   * the simulator speaks every dialect, a model is reached in the dialect that is its author's own
   * API when this build has one ({@link Dialects#nativeFor}: {@code anthropic/*} in Anthropic's,
   * {@code google/*} in Gemini's, as each provider module declares), else in OpenAI's. Empty when
   * the named profile has no adapter in this build.
   */
  public Optional<ActiveProvider> forEndpoint(
      ActiveProvider provider, ModelEntry model, EndpointEntry endpoint) {
    String profileId = endpoint.profile();
    if (demo) {
      profileId = Dialects.nativeFor(model.author()).map(DialectProfile::id).orElse(null);
    }
    if (profileId == null || profileId.equals(provider.profile().id())) {
      return Optional.of(provider);
    }
    Optional<DialectProfile> profile = Dialects.profile(profileId);
    Optional<ProviderAdapter> adapter = profile.flatMap(p -> Dialects.adapter(p.dialect()));
    if (adapter.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ActiveProvider(provider.config(), profile.get(), adapter.get()));
  }

  /**
   * Resolves the configured providers. With {@code demo} every provider is simulated: it is spoken
   * to in the OpenAI dialect (see {@link #forEndpoint} for the authors' own dialects) and needs no
   * credential.
   */
  public static ProviderRegistry of(Map<String, ProviderConfig> providers, boolean demo) {
    Map<String, ActiveProvider> active = new LinkedHashMap<>();
    List<Skipped> skipped = new java.util.ArrayList<>();
    for (ProviderConfig p : providers.values()) {
      if (!p.enabled()) {
        skipped.add(new Skipped(p.slug(), "disabled in config"));
        continue;
      }
      String profileId = demo ? "openai" : p.profile();
      Optional<DialectProfile> profile = Dialects.profile(profileId);
      if (profile.isEmpty()) {
        skipped.add(
            new Skipped(p.slug(), "profile \"" + p.profile() + "\" has no adapter in this build"));
        continue;
      }
      ProviderAdapter adapter = Dialects.adapter(profile.get().dialect()).orElse(null);
      if (adapter == null) {
        skipped.add(
            new Skipped(p.slug(), "dialect \"" + profile.get().dialect() + "\" is not built yet"));
        continue;
      }
      if (!demo && (p.apiKey() == null || p.apiKey().isEmpty()) && needsKey(p)) {
        skipped.add(
            new Skipped(
                p.slug(),
                "no credential (set "
                    + (p.apiKeyVariable() != null
                        ? p.apiKeyVariable()
                        : "providers." + p.slug() + ".api-key in the configuration")
                    + ")"));
        continue;
      }
      active.put(p.slug(), new ActiveProvider(p, profile.get(), adapter));
    }
    return new ProviderRegistry(active, skipped, demo);
  }

  /** Local servers (Ollama, vLLM on loopback) take no key. */
  private static boolean needsKey(ProviderConfig p) {
    String url = p.baseUrl();
    return !(url.startsWith("http://127.") || url.startsWith("http://localhost"));
  }

  public Optional<ActiveProvider> get(String slug) {
    return Optional.ofNullable(active.get(slug));
  }

  public Map<String, ActiveProvider> active() {
    return active;
  }

  public List<Skipped> skipped() {
    return skipped;
  }
}
