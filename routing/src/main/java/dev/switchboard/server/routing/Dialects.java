package dev.switchboard.server.routing;

import dev.switchboard.core.provider.Dialect;
import dev.switchboard.core.provider.DialectProfile;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.provider.anthropic.AnthropicProfiles;
import dev.switchboard.provider.gemini.GeminiProfiles;
import dev.switchboard.provider.openai.OpenAiProfiles;
import java.util.List;
import java.util.Optional;

/**
 * Every upstream dialect this build speaks, one line each, listed explicitly (no classpath
 * scanning). Each provider module declares its own {@link Dialect}: adapter, vendor profiles, and
 * the model authors whose own API it is. Profile ids are unique across dialects.
 */
public final class Dialects {

  private static final List<Dialect> ALL =
      List.of(OpenAiProfiles.dialect(), AnthropicProfiles.dialect(), GeminiProfiles.dialect());

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

  /** The profile of the dialect that is {@code modelAuthor}'s own API, if this build has one. */
  public static Optional<DialectProfile> nativeFor(String modelAuthor) {
    for (Dialect d : ALL) {
      if (d.nativeModelAuthors().contains(modelAuthor)) {
        return Optional.of(d.ownProfile());
      }
    }
    return Optional.empty();
  }
}
