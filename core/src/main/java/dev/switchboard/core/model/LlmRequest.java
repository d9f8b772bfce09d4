package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The canonical request every adapter translates from. {@code model} is the catalog slug the caller
 * asked for (with any variant suffix); routing resolves it to an endpoint and the adapter uses the
 * endpoint's upstream model id. {@code provider} is the routing preferences, typed ({@link
 * ProviderPreferences#NONE} when absent). {@code vendorFields} holds request fields we do not
 * model; OpenAI-dialect adapters pass them through. {@code directives} is what the request asks of
 * the gateway itself ({@code transforms}, {@code debug}, {@code preset}); adapters never read it.
 * {@code embedding} is set when the request asks for vectors rather than a generation ({@code POST
 * /embeddings}): routing then picks embedding models only, and adapters use their {@link
 * dev.switchboard.core.provider.Embeddings} capability; {@code messages} then hold the text inputs
 * as user messages, so that prompt estimates count them.
 */
public record LlmRequest(
    String model,
    List<String> fallbackModels,
    List<Message> messages,
    List<ToolSpec> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    Sampling sampling,
    ResponseFormat responseFormat,
    ReasoningConfig reasoning,
    boolean stream,
    String user,
    String sessionId,
    JsonNode metadata,
    ProviderPreferences provider,
    JsonNode plugins,
    Map<String, JsonNode> vendorFields,
    Directives directives,
    EmbeddingRequest embedding) {

  /** A generation request (no {@code embedding}). */
  public LlmRequest(
      String model,
      List<String> fallbackModels,
      List<Message> messages,
      List<ToolSpec> tools,
      ToolChoice toolChoice,
      Boolean parallelToolCalls,
      Sampling sampling,
      ResponseFormat responseFormat,
      ReasoningConfig reasoning,
      boolean stream,
      String user,
      String sessionId,
      JsonNode metadata,
      ProviderPreferences provider,
      JsonNode plugins,
      Map<String, JsonNode> vendorFields,
      Directives directives) {
    this(
        model,
        fallbackModels,
        messages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        stream,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        directives,
        null);
  }

  /** A request without gateway directives. */
  public LlmRequest(
      String model,
      List<String> fallbackModels,
      List<Message> messages,
      List<ToolSpec> tools,
      ToolChoice toolChoice,
      Boolean parallelToolCalls,
      Sampling sampling,
      ResponseFormat responseFormat,
      ReasoningConfig reasoning,
      boolean stream,
      String user,
      String sessionId,
      JsonNode metadata,
      ProviderPreferences provider,
      JsonNode plugins,
      Map<String, JsonNode> vendorFields) {
    this(
        model,
        fallbackModels,
        messages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        stream,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        Directives.NONE,
        null);
  }

  public LlmRequest {
    fallbackModels = fallbackModels == null ? List.of() : List.copyOf(fallbackModels);
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    sampling = sampling == null ? Sampling.NONE : sampling;
    provider = provider == null ? ProviderPreferences.NONE : provider;
    vendorFields = vendorFields == null ? Map.of() : Map.copyOf(vendorFields);
    directives = directives == null ? Directives.NONE : directives;
  }

  /** This request with other messages (media inlined, for one); everything else kept. */
  public LlmRequest withMessages(List<Message> newMessages) {
    return new LlmRequest(
        model,
        fallbackModels,
        newMessages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        stream,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        directives,
        embedding);
  }

  /** This request for other models (a preset's, the auto router's choice); the rest kept. */
  public LlmRequest withModels(String newModel, List<String> newFallbacks) {
    return new LlmRequest(
        newModel,
        newFallbacks,
        messages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        stream,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        directives,
        embedding);
  }

  /** This request with another user field (hashed before it goes upstream). */
  public LlmRequest withUser(String newUser) {
    return new LlmRequest(
        model,
        fallbackModels,
        messages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        stream,
        newUser,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        directives,
        embedding);
  }

  /** This request with other directives. */
  public LlmRequest withDirectives(Directives newDirectives) {
    return new LlmRequest(
        model,
        fallbackModels,
        messages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        stream,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        newDirectives,
        embedding);
  }

  /** This request with other tools and tool choice; everything else kept. */
  public LlmRequest withTools(List<ToolSpec> newTools, ToolChoice newChoice) {
    return new LlmRequest(
        model,
        fallbackModels,
        messages,
        newTools,
        newChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        stream,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        directives,
        embedding);
  }

  /** This request streamed or not upstream; everything else kept. */
  public LlmRequest withStream(boolean streamed) {
    return new LlmRequest(
        model,
        fallbackModels,
        messages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        streamed,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        directives,
        embedding);
  }

  /** This request with other pass-through fields (a field the gateway acted on removed). */
  public LlmRequest withVendorFields(Map<String, JsonNode> fields) {
    return new LlmRequest(
        model,
        fallbackModels,
        messages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        reasoning,
        stream,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        fields,
        directives,
        embedding);
  }

  /** This request with another reasoning configuration. */
  public LlmRequest withReasoning(ReasoningConfig newReasoning) {
    return new LlmRequest(
        model,
        fallbackModels,
        messages,
        tools,
        toolChoice,
        parallelToolCalls,
        sampling,
        responseFormat,
        newReasoning,
        stream,
        user,
        sessionId,
        metadata,
        provider,
        plugins,
        vendorFields,
        directives,
        embedding);
  }

  /** All models to try, in order: the primary, then the fallbacks. */
  public List<String> modelChain() {
    if (fallbackModels.isEmpty()) {
      return List.of(model);
    }
    java.util.ArrayList<String> chain = new java.util.ArrayList<>(fallbackModels.size() + 1);
    chain.add(model);
    for (String m : fallbackModels) {
      if (!chain.contains(m)) {
        chain.add(m);
      }
    }
    return List.copyOf(chain);
  }
}
