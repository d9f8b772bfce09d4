package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;

/** Generation records for tests, with every field set. */
final class Generations {

  private Generations() {}

  static GenerationRecord full(String id, String keyHash, Instant createdAt) {
    return GenerationRecord.builder(id)
        .requestId("req-1754553763-" + id)
        .keyHash(keyHash)
        .upstreamId("chatcmpl-" + id)
        .model("openai/gpt-4.1-mini")
        .providerName("OpenAI")
        .providerSlug("openai")
        .createdAt(createdAt)
        .totalCost(new BigDecimal("0.000123456"))
        .upstreamInferenceCost(new BigDecimal("0.0001"))
        .cacheDiscount(new BigDecimal("-0.000002"))
        .streamed(true)
        .cancelled(false)
        .latencyMs(1234)
        .generationTimeMs(1100L)
        .moderationLatencyMs(12L)
        .finishReason("stop")
        .nativeFinishReason("end_turn")
        .tokensPrompt(100L)
        .tokensCompletion(50L)
        .nativeTokensPrompt(101L)
        .nativeTokensCompletion(51L)
        .nativeTokensCompletionImages(0L)
        .nativeTokensReasoning(7L)
        .nativeTokensCached(64L)
        .numMediaPrompt(1)
        .numMediaCompletion(0)
        .numInputAudioPrompt(0)
        .numSearchResults(5)
        .origin("https://app.example")
        .httpReferer("https://app.example/chat")
        .appTitle("Example App")
        .userAgent("openai-java/4.8.0")
        .externalUser("user-42")
        .router("openrouter/auto")
        .sessionId("sess-1")
        .isByok(true)
        .providerResponses(
            "[{\"provider_name\":\"Groq\",\"status\":429,\"latency\":80},"
                + "{\"provider_name\":\"OpenAI\",\"status\":200,\"latency\":1150}]")
        .build();
  }

  /** A small record: only the required fields. */
  static GenerationRecord minimal(String id, String keyHash, Instant createdAt) {
    return GenerationRecord.builder(id)
        .keyHash(keyHash)
        .model("simulator/echo")
        .createdAt(createdAt)
        .totalCost(new BigDecimal("0.00001"))
        .latencyMs(5)
        .build();
  }
}
