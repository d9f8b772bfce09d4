package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatCompletion;
import dev.switchboard.api.chat.ChatMessage;
import dev.switchboard.api.chat.ToolCall;
import dev.switchboard.api.chat.Usage;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A chat completion: the {@code api} module's {@link ChatCompletion} record, its raw JSON (for
 * fields the record does not model), the response headers, and shortcuts to the first choice.
 */
public final class ChatResponse {

  private final ChatCompletion completion;
  private final JsonNode json;
  private final HttpHeaders headers;

  ChatResponse(ChatCompletion completion, JsonNode json, HttpHeaders headers) {
    this.completion = completion;
    this.json = json;
    this.headers = headers;
  }

  /** The wire record. */
  public ChatCompletion completion() {
    return completion;
  }

  /** The answer as parsed JSON, every field included. */
  public JsonNode json() {
    return json;
  }

  /** The response headers. */
  public Map<String, List<String>> headers() {
    return headers.map();
  }

  /** The body's {@code id}: the generation id ({@code gen-...}). */
  public String id() {
    return completion.id();
  }

  /** {@code X-Generation-Id}, else the body's {@code id}: the key of {@code /generation}. */
  public String generationId() {
    return headers.firstValue("x-generation-id").orElse(completion.id());
  }

  /** The model that actually served (after fallbacks). */
  public String model() {
    return completion.model();
  }

  /** The provider that served ({@code "OpenAI"}, {@code "Amazon Bedrock"}, ...). */
  public String provider() {
    return completion.provider();
  }

  /** The first choice's text; empty when it has none (a tool call, a refusal). */
  public String text() {
    ChatCompletion.ResponseMessage m = message();
    return m == null || m.content() == null ? "" : m.content();
  }

  /** The first choice's {@code reasoning} text. */
  public Optional<String> reasoning() {
    ChatCompletion.ResponseMessage m = message();
    if (m == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(m.reasoning() != null ? m.reasoning() : m.reasoningContent());
  }

  /** The first choice's {@code reasoning_details}. */
  public List<ReasoningDetail> reasoningDetails() {
    ChatCompletion.ResponseMessage m = message();
    return m == null ? List.of() : ReasoningDetail.of(m.reasoningDetails());
  }

  /** The first choice's {@code refusal}. */
  public Optional<String> refusal() {
    ChatCompletion.ResponseMessage m = message();
    return m == null ? Optional.empty() : Optional.ofNullable(m.refusal());
  }

  /** The first choice's tool calls (empty when the model answered with text). */
  public List<ToolCall> toolCalls() {
    ChatCompletion.ResponseMessage m = message();
    return m == null || m.toolCalls() == null ? List.of() : m.toolCalls();
  }

  /** The first choice's url citations (web search). */
  public List<UrlCitation> citations() {
    ChatCompletion.ResponseMessage m = message();
    return m == null ? List.of() : UrlCitation.of(m.annotations());
  }

  /** {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}, {@code error}. */
  public String finishReason() {
    List<ChatCompletion.Choice> choices = completion.choices();
    return choices == null || choices.isEmpty() ? null : choices.getFirst().finishReason();
  }

  /** Token counts and cost. */
  public Usage usage() {
    return completion.usage();
  }

  /** {@code usage.cost}: what the call cost in USD. */
  public Optional<BigDecimal> cost() {
    return Optional.ofNullable(completion.usage()).map(Usage::cost);
  }

  /** {@code X-Switchboard-Overhead-Ms}: the gateway's own time (Switchboard only). */
  public Optional<Double> overheadMs() {
    return headers.firstValue("x-switchboard-overhead-ms").map(Double::parseDouble);
  }

  /**
   * The text parsed as JSON into {@code type} (a record of a structured output). Markdown code
   * fences around the JSON are ignored.
   *
   * @throws InvalidResponseException when the text is not JSON of that shape
   */
  public <T> T parse(Class<T> type) {
    return parse(text(), type);
  }

  static <T> T parse(String text, Class<T> type) {
    String json = stripFences(text);
    try {
      return ApiJson.read(json, type);
    } catch (IOException | RuntimeException e) {
      throw Errors.invalid(
          "the answer is not a JSON "
              + type.getSimpleName()
              + ": "
              + e.getMessage().lines().findFirst().orElse("")
              + " (answer: "
              + Requester.abbreviate(text)
              + ")",
          e);
    }
  }

  /**
   * The first choice as an assistant message for the next turn: content, tool calls and reasoning
   * details (which some models need back unchanged).
   */
  public ChatMessage toMessage() {
    ChatCompletion.ResponseMessage m = message();
    if (m == null) {
      return Chat.assistant("");
    }
    List<ToolCall> calls = toolCalls().isEmpty() ? null : toolCalls();
    return new ChatMessage(
        "assistant",
        m.content() == null ? null : ApiJson.nodes().textNode(m.content()),
        null,
        calls == null ? null : calls.stream().map(ChatResponse::complete).toList(),
        null,
        null,
        null,
        m.reasoningDetails() == null || m.reasoningDetails().isEmpty()
            ? null
            : m.reasoningDetails(),
        null,
        Map.of());
  }

  /** A tool call as an assistant message carries it: without the stream {@code index}. */
  static ToolCall complete(ToolCall c) {
    return new ToolCall(null, c.id(), c.type() == null ? "function" : c.type(), c.function());
  }

  private ChatCompletion.ResponseMessage message() {
    List<ChatCompletion.Choice> choices = completion.choices();
    return choices == null || choices.isEmpty() ? null : choices.getFirst().message();
  }

  static String stripFences(String text) {
    String t = text.strip();
    if (t.startsWith("```")) {
      int firstLine = t.indexOf('\n');
      int end = t.lastIndexOf("```");
      if (firstLine > 0 && end > firstLine) {
        return t.substring(firstLine + 1, end).strip();
      }
    }
    return t;
  }

  @Override
  public String toString() {
    return "ChatResponse{id="
        + id()
        + ", model="
        + model()
        + ", text="
        + Requester.abbreviate(text())
        + "}";
  }
}
