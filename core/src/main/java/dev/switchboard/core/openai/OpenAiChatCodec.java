package dev.switchboard.core.openai;

import static dev.switchboard.core.openai.Checks.invalid;
import static dev.switchboard.core.openai.Checks.isNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatCompletion;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.chat.Reasoning;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.Directives;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.core.model.ReasoningConfig;
import dev.switchboard.core.model.Sampling;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolSpec;
import dev.switchboard.core.model.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The inbound codec: the OpenAI / OpenRouter chat wire ({@code api}) to and from the canonical
 * model ({@code core}). Stateless and thread-safe.
 *
 * <p>Requests are validated here, once, with 400 messages that name the field; unknown top-level
 * fields are never an error and travel on as {@link LlmRequest#vendorFields()}.
 */
public final class OpenAiChatCodec {

  private static final String ASSISTANT = "assistant";
  private static final String FUNCTION = "function";

  private OpenAiChatCodec() {}

  /**
   * Reads a request body. A body that is not JSON, or a field of the wrong JSON type ({@code
   * "messages":"hi"}), fails with {@code GatewayException(INVALID_REQUEST)} naming the field.
   */
  public static ChatRequest readRequest(byte[] body) {
    return RequestReader.read(body);
  }

  /**
   * Reads and converts a request body in one step: {@link #readRequest} then {@link #toCanonical}.
   */
  public static LlmRequest toCanonical(byte[] body) {
    return toCanonical(RequestReader.read(body));
  }

  /**
   * Validates and converts a client request. Throws {@code GatewayException(INVALID_REQUEST)} with
   * a clear message naming the field on bad input.
   */
  public static LlmRequest toCanonical(ChatRequest request) {
    return toCanonical(request, null);
  }

  /**
   * The same; a request that names no model ({@code model} and {@code models} absent) gets its
   * {@code preset}'s ({@code @preset/<slug>}, resolved before admission), else {@code
   * defaultModel}, else it is a 400.
   */
  public static LlmRequest toCanonical(ChatRequest request, String defaultModel) {
    if (request == null) {
      throw invalid("Request body is required");
    }
    List<String> models = models(request.models());
    String model = request.model();
    if (model == null || model.isBlank()) {
      JsonNode preset = request.extra().get("preset");
      if (!models.isEmpty()) {
        model = models.get(0);
      } else if (preset != null && preset.isTextual() && !preset.textValue().isBlank()) {
        model = "@preset/" + preset.textValue();
      } else if (defaultModel != null) {
        model = defaultModel;
      } else {
        throw invalid("\"model\" is required");
      }
    }

    List<Message> messages;
    if (request.messages() != null && !request.messages().isEmpty()) {
      messages = MessageDecoder.messages(request.messages());
    } else if (request.prompt() != null) {
      messages = List.of(new Message.User(List.of(ContentPart.Text.of(request.prompt())), null));
    } else {
      throw invalid(
          "\"messages\" is required and must contain at least one message (or give \"prompt\")");
    }

    List<ToolSpec> tools = ToolDecoder.tools(request.tools());
    Checks.sessionId(request.sessionId());
    Checks.deprecatedNoOps(request.usage(), request.streamOptions());
    Map<String, JsonNode> extra = new java.util.LinkedHashMap<>(request.extra());
    Directives directives = Checks.directives(request.transforms(), request.debug(), extra);
    return new LlmRequest(
        model,
        models,
        messages,
        tools,
        ToolDecoder.toolChoice(request.toolChoice(), tools),
        request.parallelToolCalls(),
        sampling(request),
        ToolDecoder.responseFormat(request.responseFormat()),
        reasoning(request),
        request.streaming(),
        request.user(),
        request.sessionId(),
        Checks.metadata(request.metadata()),
        Checks.route(request.route(), ProviderPreferences.parse(request.provider())),
        isNull(request.plugins()) ? null : request.plugins(),
        extra,
        directives);
  }

  private static List<String> models(List<String> models) {
    if (models == null || models.isEmpty()) {
      return List.of();
    }
    if (models.size() > Checks.MAX_MODELS) {
      throw invalid("'models' array must have 3 items or fewer.");
    }
    for (int i = 0; i < models.size(); i++) {
      if (models.get(i) == null || models.get(i).isBlank()) {
        throw invalid("\"models[" + i + "]\" must be a non-empty string");
      }
    }
    return models;
  }

  private static Sampling sampling(ChatRequest r) {
    Checks.temperature(r.temperature());
    Checks.topP(r.topP());
    Checks.atLeastOne("max_tokens", r.maxTokens());
    Checks.atLeastOne("max_completion_tokens", r.maxCompletionTokens());
    Checks.nonNegative("top_k", r.topK());
    Checks.penalty("frequency_penalty", r.frequencyPenalty());
    Checks.penalty("presence_penalty", r.presencePenalty());
    Checks.topLogprobs(r.topLogprobs());
    List<String> stop = Checks.stop(r.stop());
    return new Sampling(
        r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens(),
        r.temperature(),
        r.topP(),
        r.topK(),
        r.frequencyPenalty(),
        r.presencePenalty(),
        r.repetitionPenalty(),
        r.minP(),
        r.topA(),
        r.seed(),
        stop,
        isNull(r.logitBias()) ? null : r.logitBias(),
        r.logprobs(),
        r.topLogprobs());
  }

  /** {@code reasoning}, {@code reasoning_effort} and the legacy {@code include_reasoning}. */
  private static ReasoningConfig reasoning(ChatRequest r) {
    Reasoning reasoning = r.reasoning();
    String shorthand = r.reasoningEffort();
    if (reasoning == null && shorthand == null && r.includeReasoning() == null) {
      return null;
    }
    String nested = reasoning == null ? null : reasoning.effort();
    if (shorthand != null && nested != null && !shorthand.equals(nested)) {
      throw invalid(
          "\"reasoning_effort\" (\""
              + shorthand
              + "\") and \"reasoning.effort\" (\""
              + nested
              + "\") must not differ");
    }
    Checks.effort("reasoning_effort", shorthand);
    Checks.effort("reasoning.effort", nested);
    Integer maxTokens = reasoning == null ? null : reasoning.maxTokens();
    Checks.nonNegative("reasoning.max_tokens", maxTokens);
    boolean exclude =
        (reasoning != null && Boolean.TRUE.equals(reasoning.exclude()))
            || Boolean.FALSE.equals(r.includeReasoning());
    return new ReasoningConfig(
        nested != null ? nested : shorthand,
        maxTokens,
        exclude,
        reasoning == null ? null : reasoning.enabled());
  }

  /** Builds the client-facing completion. */
  public static ChatCompletion toCompletion(
      LlmResponse response,
      String generationId,
      String model,
      String providerName,
      long createdEpochSeconds,
      dev.switchboard.api.chat.Usage usage) {
    return toCompletion(
        response, generationId, model, providerName, createdEpochSeconds, usage, true);
  }

  /**
   * Builds the client-facing completion; with {@code includeReasoning} false ({@code
   * reasoning.exclude} or {@code include_reasoning:false}) {@code reasoning} is null and {@code
   * reasoning_details} absent, while the reasoning tokens stay in {@code usage}.
   */
  public static ChatCompletion toCompletion(
      LlmResponse response,
      String generationId,
      String model,
      String providerName,
      long createdEpochSeconds,
      dev.switchboard.api.chat.Usage usage,
      boolean includeReasoning) {
    JsonNode details = response.reasoningDetails();
    boolean hasDetails = includeReasoning && details != null && !details.isEmpty();
    ChatCompletion.ResponseMessage message =
        new ChatCompletion.ResponseMessage(
            ASSISTANT,
            response.content(),
            response.refusal(),
            includeReasoning ? response.reasoning() : null,
            null,
            hasDetails ? details : null,
            toolCalls(response.toolCalls()),
            response.annotations(),
            null,
            null);
    ChatCompletion.Choice choice =
        new ChatCompletion.Choice(
            0,
            response.logprobs(),
            response.finishReason() == null ? null : response.finishReason().wire(),
            response.nativeFinishReason(),
            message,
            response.error());
    return new ChatCompletion(
        generationId,
        providerName,
        model,
        "chat.completion",
        createdEpochSeconds,
        List.of(choice),
        response.systemFingerprint(),
        response.serviceTier(),
        usage,
        Map.of());
  }

  private static List<dev.switchboard.api.chat.ToolCall> toolCalls(List<ToolCall> calls) {
    if (calls.isEmpty()) {
      return null;
    }
    List<dev.switchboard.api.chat.ToolCall> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      out.add(
          new dev.switchboard.api.chat.ToolCall(
              i,
              call.id(),
              FUNCTION,
              new dev.switchboard.api.chat.ToolCall.FunctionCall(call.name(), call.arguments())));
    }
    return out;
  }

  /**
   * The wire {@code usage} for canonical token counts: totals, cached and cache-write prompt
   * tokens, reasoning tokens. {@code cost} (USD, may be null) and {@code isByok} are the gateway's;
   * {@code cost_details} is left for the caller to add.
   */
  public static dev.switchboard.api.chat.Usage toApiUsage(
      Usage usage, BigDecimal cost, Boolean isByok) {
    return new dev.switchboard.api.chat.Usage(
        usage.promptTokens(),
        usage.completionTokens(),
        usage.totalTokens(),
        cost,
        isByok,
        new dev.switchboard.api.chat.Usage.PromptTokensDetails(
            usage.cachedTokens(), usage.cacheWriteTokens(), 0, 0),
        null,
        new dev.switchboard.api.chat.Usage.CompletionTokensDetails(usage.reasoningTokens(), 0, 0),
        usage.serverTools() == null
            ? null
            : new dev.switchboard.api.chat.Usage.ServerToolUseDetails(
                usage.serverTools().requested(),
                usage.serverTools().executed(),
                usage.serverTools().webSearches()));
  }
}
