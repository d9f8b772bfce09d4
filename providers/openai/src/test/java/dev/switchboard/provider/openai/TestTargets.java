package dev.switchboard.provider.openai;

import dev.switchboard.core.provider.Target;
import java.util.Map;

/** Targets for tests: each profile with a display name, the profile's default URL, a fake key. */
final class TestTargets {

  static final String GENERATION_ID = "gen-1700000000-AbCdEfGhIjKlMnOpQrSt";
  static final String CLIENT_MODEL = "test/model";
  static final long CREATED = 1_700_000_000L;

  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("openai", "OpenAI"),
          Map.entry("deepseek", "DeepSeek"),
          Map.entry("mistral", "Mistral"),
          Map.entry("xai", "xAI"),
          Map.entry("groq", "Groq"),
          Map.entry("together", "Together"),
          Map.entry("fireworks", "Fireworks"),
          Map.entry("openrouter", "OpenRouter"),
          Map.entry("ollama", "Ollama"),
          Map.entry("vllm", "vLLM"),
          Map.entry("anthropic-compat", "Anthropic"));

  private TestTargets() {}

  static Target of(String profileId) {
    return new Target(
        profileId,
        NAMES.getOrDefault(profileId, profileId),
        null,
        "upstream-model-id",
        "sk-test-key",
        OpenAiProfiles.profile(profileId),
        null);
  }

  /** The profile a recorded fixture was captured from, by folder and file name. */
  static String profileFor(String folder, String fileName) {
    return switch (folder) {
      case "openai" -> "openai";
      case "openrouter" -> "openrouter";
      case "openai-compatible" -> {
        if (fileName.startsWith("groq-")) {
          yield "groq";
        }
        if (fileName.startsWith("xai-")) {
          yield "xai";
        }
        if (fileName.startsWith("anthropic-compat-")) {
          yield "anthropic-compat";
        }
        throw new IllegalArgumentException("No profile for " + fileName);
      }
      default -> throw new IllegalArgumentException("No profile for folder " + folder);
    };
  }
}
