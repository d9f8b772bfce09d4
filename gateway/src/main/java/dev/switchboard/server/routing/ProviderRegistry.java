package dev.switchboard.server.routing;

import dev.switchboard.core.provider.DialectProfile;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.provider.openai.OpenAiAdapter;
import dev.switchboard.provider.openai.OpenAiProfiles;
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

  private static final Map<String, ProviderAdapter> ADAPTERS =
      Map.of("openai", new OpenAiAdapter());

  private final Map<String, ActiveProvider> active;
  private final List<Skipped> skipped;

  private ProviderRegistry(Map<String, ActiveProvider> active, List<Skipped> skipped) {
    this.active = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(active));
    this.skipped = List.copyOf(skipped);
  }

  /**
   * Resolves the configured providers. {@code requireKeys} is false in demo mode, where every
   * provider is simulated and spoken to in the OpenAI dialect.
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
      Optional<DialectProfile> profile = Optional.ofNullable(OpenAiProfiles.all().get(profileId));
      if (profile.isEmpty()) {
        skipped.add(
            new Skipped(p.slug(), "profile \"" + p.profile() + "\" has no adapter in this build"));
        continue;
      }
      ProviderAdapter adapter = ADAPTERS.get(profile.get().dialect());
      if (adapter == null) {
        skipped.add(
            new Skipped(p.slug(), "dialect \"" + profile.get().dialect() + "\" is not built yet"));
        continue;
      }
      if (!demo && (p.apiKey() == null || p.apiKey().isEmpty()) && needsKey(p)) {
        skipped.add(new Skipped(p.slug(), "no credential (set its api-key environment variable)"));
        continue;
      }
      active.put(p.slug(), new ActiveProvider(p, profile.get(), adapter));
    }
    return new ProviderRegistry(active, skipped);
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
