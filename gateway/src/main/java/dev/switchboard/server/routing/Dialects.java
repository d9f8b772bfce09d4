package dev.switchboard.server.routing;

import dev.switchboard.core.provider.DialectProfile;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.provider.anthropic.AnthropicAdapter;
import dev.switchboard.provider.anthropic.AnthropicProfiles;
import dev.switchboard.provider.gemini.GeminiAdapter;
import dev.switchboard.provider.gemini.GeminiProfiles;
import dev.switchboard.provider.openai.OpenAiAdapter;
import dev.switchboard.provider.openai.OpenAiProfiles;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every upstream dialect this build speaks, listed explicitly (no classpath scanning): its adapter
 * and the vendor profiles that use it. Profile ids are unique across dialects.
 */
public final class Dialects {

  /** One dialect: its name, its adapter, its profiles by id. */
  public record Dialect(
      String name, ProviderAdapter adapter, Map<String, DialectProfile> profiles) {}

  private static final List<Dialect> ALL =
      List.of(
          new Dialect("openai", new OpenAiAdapter(), OpenAiProfiles.all()),
          new Dialect("anthropic", new AnthropicAdapter(), AnthropicProfiles.all()),
          new Dialect("gemini", new GeminiAdapter(), GeminiProfiles.all()));

  private Dialects() {}

  public static List<Dialect> all() {
    return ALL;
  }

  /** The profile with this id, in whichever dialect defines it. */
  public static Optional<DialectProfile> profile(String id) {
    for (Dialect d : ALL) {
      DialectProfile p = d.profiles().get(id);
      if (p != null) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The adapter of a dialect, e.g. {@code openai}. */
  public static Optional<ProviderAdapter> adapter(String dialect) {
    for (Dialect d : ALL) {
      if (d.name().equals(dialect)) {
        return Optional.of(d.adapter());
      }
    }
    return Optional.empty();
  }
}
