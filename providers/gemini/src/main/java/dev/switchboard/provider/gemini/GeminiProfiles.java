package dev.switchboard.provider.gemini;

import dev.switchboard.core.provider.Dialect;
import dev.switchboard.core.provider.DialectProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Gemini dialect's profiles. {@code gemini} is Google AI Studio's Generative Language API
 * (v1beta): {@code x-goog-api-key} with the bare key, usage in every streamed chunk, error objects
 * possible inside a 200 stream.
 */
public final class GeminiProfiles {

  /** The dialect every profile here belongs to. */
  public static final String DIALECT = "gemini";

  /** Google AI Studio's public base URL. */
  public static final String AI_STUDIO_BASE_URL =
      "https://generativelanguage.googleapis.com/v1beta";

  private static final Map<String, DialectProfile> PROFILES = build();

  private GeminiProfiles() {}

  /**
   * This module's dialect as the gateway registers it: the adapter, these profiles, and the model
   * authors whose own API it is ("google"), reached in it in demo mode.
   */
  public static Dialect dialect() {
    return new Dialect(new GeminiAdapter(), all(), Set.of("google"));
  }

  /** Every profile by id. */
  public static Map<String, DialectProfile> all() {
    return PROFILES;
  }

  /** The {@code gemini} profile. */
  public static DialectProfile gemini() {
    return PROFILES.get("gemini");
  }

  private static Map<String, DialectProfile> build() {
    Map<String, DialectProfile> out = new LinkedHashMap<>();
    out.put(
        "gemini",
        new DialectProfile(
            "gemini",
            DIALECT,
            "/models/{model}:generateContent",
            "x-goog-api-key",
            "",
            "maxOutputTokens",
            true,
            0,
            true,
            Set.of(),
            Map.of(),
            List.of(
                "Google AI Studio (Generative Language API v1beta); the key goes in x-goog-api-key",
                "streams are SSE (alt=sse) without [DONE]; usage comes on every chunk, the last"
                    + " one counts",
                "no tool-call ids: the adapter makes stable ones; thought signatures travel in"
                    + " reasoning_details (format google-gemini-v1)"),
            AI_STUDIO_BASE_URL,
            false));
    return java.util.Collections.unmodifiableMap(out);
  }
}
