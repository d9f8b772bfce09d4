package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.ResponseFormat;
import dev.switchboard.core.model.Sampling;
import dev.switchboard.core.model.ToolChoice;
import dev.switchboard.core.model.ToolSpec;
import dev.switchboard.core.provider.Target;
import dev.switchboard.provider.gemini.GeminiWire.FunctionCallingConfig;
import dev.switchboard.provider.gemini.GeminiWire.FunctionDeclaration;
import dev.switchboard.provider.gemini.GeminiWire.GenerateContentRequest;
import dev.switchboard.provider.gemini.GeminiWire.GenerationConfig;
import dev.switchboard.provider.gemini.GeminiWire.ThinkingConfig;
import dev.switchboard.provider.gemini.GeminiWire.Tool;
import dev.switchboard.provider.gemini.GeminiWire.ToolConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link LlmRequest} to a {@code generateContent} body. Only what the caller set is written
 * (checklist 13). Mapped: messages ({@link GeminiMessageWriter}), tools and {@code tool_choice}
 * ({@code auto} AUTO, {@code none} NONE, {@code required} ANY, a named function ANY restricted to
 * it), {@code max_tokens} to {@code maxOutputTokens}, temperature, top_p, top_k, stop (as {@code
 * stopSequences}), seed, presence and frequency penalties (Gemini 1.x and 2.0 only: 2.5 answers 400
 * "Penalty is not enabled", recorded), {@code response_format} ({@code json_object}: JSON mime
 * type; {@code json_schema}: plus {@code responseJsonSchema}, or {@code responseSchema} in the
 * OpenAPI subset for Gemini 1.x/2.0), reasoning ({@link GeminiReasoning}), and the Gemini-only
 * vendor fields {@code safetySettings} and {@code cachedContent}. Not sent, because Gemini has no
 * such thing: {@code parallel_tool_calls}, {@code logit_bias}, {@code logprobs}, {@code user},
 * {@code metadata}, OpenRouter's sampling extensions ({@code repetition_penalty}, {@code min_p},
 * {@code top_a}) and every other vendor field.
 */
final class GeminiRequestMapper {

  private GeminiRequestMapper() {}

  static byte[] body(LlmRequest request, Target target) {
    GeminiModels model = GeminiModels.of(target.upstreamModel());
    GeminiMessageWriter.Conversation conversation =
        GeminiMessageWriter.write(request.messages(), model);
    if (conversation.contents().isEmpty()) {
      throw GatewayException.invalid(
          "Gemini needs at least one user or assistant message besides the system prompt");
    }
    GenerationConfig config = generationConfig(request, target, model);
    return ApiJson.bytes(
        new GenerateContentRequest(
            conversation.contents(),
            conversation.systemInstruction(),
            tools(request.tools(), model),
            toolConfig(request),
            config.isEmpty() ? null : config,
            vendor(request, "safetySettings", "safety_settings"),
            text(vendor(request, "cachedContent", "cached_content"))));
  }

  private static List<Tool> tools(List<ToolSpec> tools, GeminiModels model) {
    if (tools.isEmpty()) {
      return null;
    }
    List<FunctionDeclaration> declarations = new ArrayList<>(tools.size());
    for (ToolSpec tool : tools) {
      JsonNode schema = tool.parameters();
      declarations.add(
          new FunctionDeclaration(
              tool.name(),
              tool.description(),
              model.legacy() ? GeminiSchemas.toOpenApi(schema) : null,
              model.legacy() ? null : schema));
    }
    return List.of(new Tool(declarations));
  }

  private static ToolConfig toolConfig(LlmRequest request) {
    ToolChoice choice = request.toolChoice();
    if (choice == null || request.tools().isEmpty()) {
      return null;
    }
    FunctionCallingConfig config =
        switch (choice.mode()) {
          case AUTO -> new FunctionCallingConfig("AUTO", null);
          case NONE -> new FunctionCallingConfig("NONE", null);
          case REQUIRED -> new FunctionCallingConfig("ANY", null);
          case FUNCTION -> new FunctionCallingConfig("ANY", List.of(choice.functionName()));
        };
    return new ToolConfig(config);
  }

  private static GenerationConfig generationConfig(
      LlmRequest request, Target target, GeminiModels model) {
    Sampling s = request.sampling();
    ResponseFormat format = request.responseFormat();
    String mimeType = null;
    JsonNode schema = null;
    JsonNode jsonSchema = null;
    if (format != null) {
      switch (format.type()) {
        case "text" -> {}
        case "json_object" -> mimeType = "application/json";
        case "json_schema" -> {
          mimeType = "application/json";
          if (format.schema() != null) {
            if (model.legacy()) {
              schema = GeminiSchemas.toOpenApi(format.schema());
            } else {
              jsonSchema = format.schema();
            }
          }
        }
        default ->
            throw GatewayException.invalid(
                "\"response_format\" type \"" + format.type() + "\" is not supported by Gemini");
      }
    }
    ThinkingConfig thinking =
        GeminiReasoning.config(
            request.reasoning(), model, s.maxTokens(), target.defaultMaxTokens());
    return new GenerationConfig(
        s.maxTokens(),
        s.temperature(),
        s.topP(),
        s.topK(),
        s.stop() == null || s.stop().isEmpty() ? null : s.stop(),
        s.seed(),
        model.legacy() ? s.presencePenalty() : null,
        model.legacy() ? s.frequencyPenalty() : null,
        mimeType,
        schema,
        jsonSchema,
        thinking);
  }

  private static JsonNode vendor(LlmRequest request, String name, String alias) {
    JsonNode value = request.vendorFields().get(name);
    if (value == null) {
      value = request.vendorFields().get(alias);
    }
    return value == null || value.isNull() ? null : value;
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }
}
