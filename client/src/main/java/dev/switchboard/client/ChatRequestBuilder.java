package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.chat.ChatMessage;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.chat.Tool;
import dev.switchboard.api.json.ApiJson;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ChatRequest}, the {@code api} module's wire record, field by field. Every field
 * is optional and left out of the JSON when not set. Get one from {@link Chat#request()}. Not
 * thread-safe.
 */
public final class ChatRequestBuilder {

  private final ObjectNode node;

  ChatRequestBuilder() {
    this.node = ApiJson.object();
  }

  ChatRequestBuilder(ChatRequest request) {
    this.node = (ObjectNode) ApiJson.toTree(request);
  }

  // ---- model selection -------------------------------------------------------------------

  /** The model id, or an alias the client resolves ({@code fast}, {@code smart}, ...). */
  public ChatRequestBuilder model(String model) {
    node.put("model", model);
    return this;
  }

  /**
   * Server-side fallback models ({@code models}), tried in order when {@code model} fails; at most
   * three.
   */
  public ChatRequestBuilder models(String... models) {
    Checks.requireArgument(models.length <= 3, "at most 3 fallback models, got %s", models.length);
    ArrayNode a = node.putArray("models");
    for (String m : models) {
      a.add(Checks.requireText(m, "fallback model"));
    }
    return this;
  }

  // ---- messages ------------------------------------------------------------------------

  /** Appends messages. */
  public ChatRequestBuilder messages(ChatMessage... messages) {
    return messages(List.of(messages));
  }

  /** Appends messages. */
  public ChatRequestBuilder messages(List<ChatMessage> messages) {
    ArrayNode a = node.withArrayProperty("messages");
    for (ChatMessage m : messages) {
      a.add(ApiJson.toTree(m));
    }
    return this;
  }

  public ChatRequestBuilder system(String text) {
    return messages(Chat.system(text));
  }

  public ChatRequestBuilder user(String text) {
    return messages(Chat.user(text));
  }

  /** A user message of parts: text, images ({@link ContentPart#image}), videos, PDFs, audio. */
  public ChatRequestBuilder user(ContentPart... parts) {
    return messages(Chat.user(parts));
  }

  public ChatRequestBuilder assistant(String text) {
    return messages(Chat.assistant(text));
  }

  /** A bare prompt instead of messages. */
  public ChatRequestBuilder prompt(String prompt) {
    node.put("prompt", prompt);
    return this;
  }

  // ---- sampling --------------------------------------------------------------------------

  public ChatRequestBuilder temperature(double temperature) {
    Checks.requireArgument(
        temperature >= 0 && temperature <= 2, "temperature must be 0..2, was %s", temperature);
    node.put("temperature", BigDecimal.valueOf(temperature));
    return this;
  }

  public ChatRequestBuilder topP(double topP) {
    node.put("top_p", BigDecimal.valueOf(topP));
    return this;
  }

  public ChatRequestBuilder topK(int topK) {
    node.put("top_k", topK);
    return this;
  }

  /** {@code max_tokens}: the most tokens to generate. */
  public ChatRequestBuilder maxTokens(int maxTokens) {
    Checks.requireArgument(maxTokens >= 1, "maxTokens must be at least 1, was %s", maxTokens);
    node.put("max_tokens", maxTokens);
    return this;
  }

  /** {@code max_completion_tokens}, the newer name of {@code max_tokens}. */
  public ChatRequestBuilder maxCompletionTokens(int maxTokens) {
    Checks.requireArgument(
        maxTokens >= 1, "maxCompletionTokens must be at least 1, was %s", maxTokens);
    node.put("max_completion_tokens", maxTokens);
    return this;
  }

  public ChatRequestBuilder frequencyPenalty(double penalty) {
    node.put("frequency_penalty", BigDecimal.valueOf(penalty));
    return this;
  }

  public ChatRequestBuilder presencePenalty(double penalty) {
    node.put("presence_penalty", BigDecimal.valueOf(penalty));
    return this;
  }

  public ChatRequestBuilder repetitionPenalty(double penalty) {
    node.put("repetition_penalty", BigDecimal.valueOf(penalty));
    return this;
  }

  public ChatRequestBuilder minP(double minP) {
    node.put("min_p", BigDecimal.valueOf(minP));
    return this;
  }

  public ChatRequestBuilder seed(long seed) {
    node.put("seed", seed);
    return this;
  }

  /** Up to four stop sequences. */
  public ChatRequestBuilder stop(String... sequences) {
    Checks.requireArgument(sequences.length <= 4, "at most 4 stop sequences");
    ArrayNode a = node.putArray("stop");
    List.of(sequences).forEach(a::add);
    return this;
  }

  public ChatRequestBuilder logprobs(boolean logprobs, Integer topLogprobs) {
    node.put("logprobs", logprobs);
    if (topLogprobs != null) {
      node.put("top_logprobs", topLogprobs);
    }
    return this;
  }

  // ---- tools and output ----------------------------------------------------------------

  /** Appends tools (see {@link Chat#tool}). */
  public ChatRequestBuilder tools(Tool... tools) {
    return tools(List.of(tools));
  }

  public ChatRequestBuilder tools(List<Tool> tools) {
    ArrayNode a = node.withArrayProperty("tools");
    for (Tool t : tools) {
      a.add(ApiJson.toTree(t));
    }
    return this;
  }

  public ChatRequestBuilder toolChoice(ToolChoice choice) {
    node.set("tool_choice", choice.json());
    return this;
  }

  public ChatRequestBuilder parallelToolCalls(boolean parallel) {
    node.put("parallel_tool_calls", parallel);
    return this;
  }

  public ChatRequestBuilder responseFormat(ResponseFormat format) {
    node.set("response_format", format.json());
    return this;
  }

  /** Structured output: a strict JSON schema derived from the record {@code type}. */
  public ChatRequestBuilder responseFormat(Class<?> type) {
    return responseFormat(ResponseFormat.jsonSchema(type));
  }

  // ---- reasoning -----------------------------------------------------------------------

  /** {@code reasoning.effort}: {@code max, xhigh, high, medium, low, minimal, none}. */
  public ChatRequestBuilder reasoningEffort(String effort) {
    node.withObjectProperty("reasoning").put("effort", effort);
    return this;
  }

  /** {@code reasoning.max_tokens}: a reasoning budget in tokens (instead of an effort). */
  public ChatRequestBuilder reasoningMaxTokens(int maxTokens) {
    node.withObjectProperty("reasoning").put("max_tokens", maxTokens);
    return this;
  }

  /** {@code reasoning.enabled}. */
  public ChatRequestBuilder reasoning(boolean enabled) {
    node.withObjectProperty("reasoning").put("enabled", enabled);
    return this;
  }

  /** {@code reasoning.exclude}: the model reasons, but the reasoning is left out of the answer. */
  public ChatRequestBuilder excludeReasoning() {
    node.withObjectProperty("reasoning").put("exclude", true);
    return this;
  }

  /** The whole {@code reasoning} object. */
  public ChatRequestBuilder reasoning(dev.switchboard.api.chat.Reasoning reasoning) {
    node.set("reasoning", ApiJson.toTree(reasoning));
    return this;
  }

  // ---- routing, plugins, observability -----------------------------------------------

  public ChatRequestBuilder provider(ProviderPreferences preferences) {
    node.set("provider", preferences.json());
    return this;
  }

  /** Appends plugins. */
  public ChatRequestBuilder plugins(Plugin... plugins) {
    ArrayNode a = node.withArrayProperty("plugins");
    for (Plugin p : plugins) {
      a.add(p.json());
    }
    return this;
  }

  /**
   * {@code debug.echo_upstream_body}: on a stream, the first chunk echoes the body sent upstream
   * ({@link ChatStream#debugEcho()}).
   */
  public ChatRequestBuilder debugEchoUpstreamBody(boolean echo) {
    node.withObjectProperty("debug").put("echo_upstream_body", echo);
    return this;
  }

  /** A stable id of the end user (abuse isolation; recorded as the generation's user). */
  public ChatRequestBuilder endUser(String id) {
    node.put("user", id);
    return this;
  }

  /** {@code session_id} (at most 256 characters): groups requests and keeps routing sticky. */
  public ChatRequestBuilder sessionId(String sessionId) {
    Checks.requireArgument(
        sessionId == null || sessionId.length() <= 256, "sessionId is longer than 256 characters");
    node.put("session_id", sessionId);
    return this;
  }

  /** {@code metadata}: up to 16 string pairs. */
  public ChatRequestBuilder metadata(Map<String, String> metadata) {
    node.set("metadata", ApiJson.toTree(metadata));
    return this;
  }

  /**
   * Any other field, sent as is: a provider-specific parameter, or an API field newer than this
   * SDK. {@code value} is serialized with the shared mapper.
   */
  public ChatRequestBuilder extra(String field, Object value) {
    node.set(Checks.requireText(field, "field"), ApiJson.toTree(value));
    return this;
  }

  /** The request. Checks that there is something to send. */
  public ChatRequest build() {
    JsonNode messages = node.get("messages");
    Checks.requireState(
        (messages != null && !messages.isEmpty()) || node.has("prompt"),
        "a chat request needs at least one message (or a prompt)");
    return ApiJson.convert(node, ChatRequest.class);
  }
}
