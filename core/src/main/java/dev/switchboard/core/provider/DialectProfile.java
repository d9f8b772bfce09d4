package dev.switchboard.core.provider;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The quirks of one upstream vendor, as data. OpenAI-compatible vendors (DeepSeek, Groq, Mistral,
 * xAI, vLLM, ...) are profiles of the OpenAI adapter, not new code.
 *
 * @param id the profile's name, e.g. {@code openai}, {@code groq}
 * @param dialect the adapter that speaks to it: {@code openai}, {@code anthropic} or {@code gemini}
 * @param chatPath the path below the base URL, e.g. {@code /chat/completions}
 * @param authHeader header carrying the credential, e.g. {@code Authorization}
 * @param authScheme prefix of the credential value, e.g. {@code Bearer } (may be empty)
 * @param maxTokensField the field the upstream wants for the output limit ({@code max_tokens} or
 *     {@code max_completion_tokens})
 * @param streamUsage whether {@code stream_options.include_usage} is understood
 * @param toolIndexBase the index the vendor's first streamed tool call carries (0, or 1 for some);
 *     informational: decoders re-index densely from 0 whatever the base
 * @param errorEventsInStream whether a 200 stream may carry {@code event: error} or an error chunk
 * @param droppedParams request fields the vendor rejects; dropped before sending
 * @param extraHeaders headers sent with every call
 * @param notes free-form remarks for operators and docs
 * @param defaultBaseUrl the vendor's public base URL (no trailing slash), used when the target
 *     names none; null for self-hosted servers without a well-known address
 * @param openRouterExtensions whether the upstream understands OpenRouter's request extensions (the
 *     {@code reasoning} object, {@code reasoning}/{@code reasoning_details} on assistant messages,
 *     {@code cache_control}); true only for an upstream OpenRouter
 */
public record DialectProfile(
    String id,
    String dialect,
    String chatPath,
    String authHeader,
    String authScheme,
    String maxTokensField,
    boolean streamUsage,
    int toolIndexBase,
    boolean errorEventsInStream,
    Set<String> droppedParams,
    Map<String, String> extraHeaders,
    List<String> notes,
    String defaultBaseUrl,
    boolean openRouterExtensions) {

  public DialectProfile {
    droppedParams = droppedParams == null ? Set.of() : Set.copyOf(droppedParams);
    extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** The original twelve-component form: no default base URL, no OpenRouter extensions. */
  public DialectProfile(
      String id,
      String dialect,
      String chatPath,
      String authHeader,
      String authScheme,
      String maxTokensField,
      boolean streamUsage,
      int toolIndexBase,
      boolean errorEventsInStream,
      Set<String> droppedParams,
      Map<String, String> extraHeaders,
      List<String> notes) {
    this(
        id,
        dialect,
        chatPath,
        authHeader,
        authScheme,
        maxTokensField,
        streamUsage,
        toolIndexBase,
        errorEventsInStream,
        droppedParams,
        extraHeaders,
        notes,
        null,
        false);
  }

  /** Plain OpenAI: bearer auth, {@code max_tokens}... as api.openai.com speaks it. */
  public static DialectProfile openAi(String id) {
    return new DialectProfile(
        id,
        "openai",
        "/chat/completions",
        "Authorization",
        "Bearer ",
        "max_tokens",
        true,
        0,
        false,
        Set.of(),
        Map.of(),
        List.of());
  }

  /** Whether the vendor rejects {@code param}, so it must not be sent. */
  public boolean drops(String param) {
    return droppedParams.contains(param);
  }
}
