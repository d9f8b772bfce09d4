package dev.switchboard.core.provider;

import java.util.Map;
import java.util.Set;

/**
 * Everything the gateway needs to know about one upstream dialect, declared once by its provider
 * module: the adapter, the vendor profiles that speak it (by id, unique across dialects; the one
 * whose id is the dialect's name is the dialect's own API), and the model authors whose own API it
 * is. Demo mode, where the simulator speaks every dialect, reaches those authors' models in their
 * own dialect (Claude in Anthropic's Messages, Gemini in Gemini's) and every other model in
 * OpenAI's.
 *
 * @param adapter the translator; its {@link ProviderAdapter#dialect()} names the dialect
 * @param profiles the vendor profiles by id
 * @param nativeModelAuthors catalog model authors ({@code anthropic} in {@code
 *     anthropic/claude-sonnet-4}) whose own API this dialect is
 */
public record Dialect(
    ProviderAdapter adapter, Map<String, DialectProfile> profiles, Set<String> nativeModelAuthors) {

  public Dialect {
    profiles = Map.copyOf(profiles);
    nativeModelAuthors = Set.copyOf(nativeModelAuthors);
    if (!profiles.containsKey(adapter.dialect())) {
      throw new IllegalArgumentException(
          "dialect " + adapter.dialect() + " has no profile of its own name: " + profiles.keySet());
    }
  }

  public String name() {
    return adapter.dialect();
  }

  /** The dialect's own API's profile (the one named after the dialect). */
  public DialectProfile ownProfile() {
    return profiles.get(adapter.dialect());
  }
}
