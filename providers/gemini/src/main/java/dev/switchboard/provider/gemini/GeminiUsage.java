package dev.switchboard.provider.gemini;

import dev.switchboard.core.model.Usage;
import dev.switchboard.provider.gemini.GeminiWire.UsageMetadata;

/**
 * {@code usageMetadata} to canonical {@link Usage}: prompt tokens are {@code promptTokenCount}
 * (which already includes cached content) plus {@code toolUsePromptTokenCount}; completion tokens
 * are {@code candidatesTokenCount} plus {@code thoughtsTokenCount}; reasoning tokens are the
 * thoughts; cached tokens {@code cachedContentTokenCount}. Gemini reports no cache writes. The
 * result adds up to {@code totalTokenCount}.
 */
final class GeminiUsage {

  private GeminiUsage() {}

  /** The usage, or null when the metadata carries no counts (Vertex's early stream chunks). */
  static Usage parse(UsageMetadata m) {
    if (m == null
        || (m.promptTokenCount() == null
            && m.candidatesTokenCount() == null
            && m.totalTokenCount() == null)) {
      return null;
    }
    long thoughts = n(m.thoughtsTokenCount());
    return new Usage(
        n(m.promptTokenCount()) + n(m.toolUsePromptTokenCount()),
        n(m.candidatesTokenCount()) + thoughts,
        thoughts,
        n(m.cachedContentTokenCount()),
        0,
        false);
  }

  private static long n(Long value) {
    return value == null ? 0 : value;
  }
}
