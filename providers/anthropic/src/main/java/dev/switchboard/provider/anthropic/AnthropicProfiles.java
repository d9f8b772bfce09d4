package dev.switchboard.provider.anthropic;

import dev.switchboard.core.provider.Dialect;
import dev.switchboard.core.provider.DialectProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Anthropic Messages profiles. There is one today, {@code anthropic} (api.anthropic.com):
 * {@code POST /v1/messages}, the key in {@code x-api-key} with no scheme, and {@code
 * anthropic-version: 2023-06-01} on every call. Vendors that host Claude behind the same wire (a
 * proxy, a compatible gateway) are further profiles here, not new code.
 */
public final class AnthropicProfiles {

  /** The dialect every profile here belongs to. */
  public static final String DIALECT = "anthropic";

  /** The API version header Anthropic requires on every call. */
  public static final String VERSION_HEADER = "anthropic-version";

  /** The API version this adapter speaks. */
  public static final String VERSION = "2023-06-01";

  private static final Map<String, DialectProfile> PROFILES = build();

  private AnthropicProfiles() {}

  /**
   * This module's dialect as the gateway registers it: the adapter, these profiles, and the model
   * authors whose own API it is ("anthropic"), reached in it in demo mode.
   */
  public static Dialect dialect() {
    return new Dialect(new AnthropicAdapter(), all(), Set.of("anthropic"));
  }

  /** Every profile by id, in a stable order. */
  public static Map<String, DialectProfile> all() {
    return PROFILES;
  }

  /** The profile {@code id}; throws {@link IllegalArgumentException} naming the known ids. */
  public static DialectProfile profile(String id) {
    DialectProfile profile = PROFILES.get(id);
    if (profile == null) {
      throw new IllegalArgumentException(
          "Unknown Anthropic profile '" + id + "'; known: " + PROFILES.keySet());
    }
    return profile;
  }

  private static Map<String, DialectProfile> build() {
    Map<String, DialectProfile> out = new LinkedHashMap<>();
    out.put(
        "anthropic",
        new DialectProfile(
            "anthropic",
            DIALECT,
            "/messages",
            "x-api-key",
            "",
            "max_tokens",
            true,
            0,
            true,
            Set.of(),
            Map.of(VERSION_HEADER, VERSION),
            List.of(
                "max_tokens is required: the client's, else the catalog's max completion tokens,"
                    + " else "
                    + AnthropicRequestMapper.DEFAULT_MAX_TOKENS,
                "usage arrives in message_start and message_delta; errors may come as event: error"
                    + " inside a 200 stream"),
            "https://api.anthropic.com/v1",
            false));
    return java.util.Collections.unmodifiableMap(out);
  }
}
