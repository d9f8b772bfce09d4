package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * Records for Gemini's JSON ({@code generateContent} / {@code streamGenerateContent}, API version
 * v1beta), in the API's camelCase. Both directions share {@link Content} and {@link Part}. A
 * streamed chunk has the shape of a whole response ({@link GenerateContentResponse}). Absent fields
 * are null and are not written.
 */
final class GeminiWire {

  private GeminiWire() {}

  /** The request body. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record GenerateContentRequest(
      List<Content> contents,
      Content systemInstruction,
      List<Tool> tools,
      ToolConfig toolConfig,
      GenerationConfig generationConfig,
      JsonNode safetySettings,
      String cachedContent) {}

  /** One turn: {@code user} or {@code model}, and its parts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Content(String role, List<Part> parts) {}

  /**
   * One part; exactly one of text, inline data, file data, function call or function response is
   * set. {@code thought} marks a thought summary; {@code thoughtSignature} may ride on any part.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Part(
      String text,
      Boolean thought,
      String thoughtSignature,
      Blob inlineData,
      FileData fileData,
      FunctionCall functionCall,
      FunctionResponse functionResponse) {

    static Part text(String text) {
      return new Part(text, null, null, null, null, null, null);
    }

    static Part inline(String mimeType, String base64) {
      return new Part(null, null, null, new Blob(mimeType, base64), null, null, null);
    }

    static Part file(String mimeType, String uri) {
      return new Part(null, null, null, null, new FileData(mimeType, uri), null, null);
    }

    static Part call(FunctionCall call, String signature) {
      return new Part(null, null, signature, null, null, call, null);
    }

    static Part response(FunctionResponse response) {
      return new Part(null, null, null, null, null, null, response);
    }

    Part withSignature(String signature) {
      return new Part(
          text, thought, signature, inlineData, fileData, functionCall, functionResponse);
    }
  }

  /** Base64 bytes and their type. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Blob(String mimeType, String data) {}

  /** Media by URI: a Files API URI, {@code gs://}, YouTube or a public https URL. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FileData(String mimeType, String fileUri) {}

  /**
   * A function call. Gemini rarely sends an {@code id}. Vertex can stream arguments: a call with
   * {@code willContinue} is followed by chunks of {@code partialArgs} and closed by an empty call.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FunctionCall(
      String id, String name, JsonNode args, List<PartialArg> partialArgs, Boolean willContinue) {}

  /** A fragment of streamed arguments: the value at {@code jsonPath}, maybe continued. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PartialArg(
      String jsonPath,
      String stringValue,
      BigDecimal numberValue,
      Boolean boolValue,
      JsonNode nullValue,
      Boolean willContinue) {}

  /** The result of a function call, sent back with the name of the function. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FunctionResponse(String id, String name, JsonNode response) {}

  /** Function declarations. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Tool(List<FunctionDeclaration> functionDeclarations) {}

  /**
   * One function: {@code parametersJsonSchema} (JSON Schema, Gemini 2.5 and later) or {@code
   * parameters} (the OpenAPI subset older models take).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FunctionDeclaration(
      String name, String description, JsonNode parameters, JsonNode parametersJsonSchema) {}

  /** How functions may be called. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ToolConfig(FunctionCallingConfig functionCallingConfig) {}

  /** {@code AUTO}, {@code ANY} (optionally restricted to names) or {@code NONE}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FunctionCallingConfig(String mode, List<String> allowedFunctionNames) {}

  /** Sampling, output limits, structured output and thinking. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record GenerationConfig(
      Integer maxOutputTokens,
      BigDecimal temperature,
      BigDecimal topP,
      Integer topK,
      List<String> stopSequences,
      Long seed,
      BigDecimal presencePenalty,
      BigDecimal frequencyPenalty,
      String responseMimeType,
      JsonNode responseSchema,
      JsonNode responseJsonSchema,
      ThinkingConfig thinkingConfig) {

    boolean isEmpty() {
      return maxOutputTokens == null
          && temperature == null
          && topP == null
          && topK == null
          && stopSequences == null
          && seed == null
          && presencePenalty == null
          && frequencyPenalty == null
          && responseMimeType == null
          && responseSchema == null
          && responseJsonSchema == null
          && thinkingConfig == null;
    }
  }

  /**
   * Thinking: a token budget (Gemini 2.5; also accepted by Gemini 3) or a level (Gemini 3), never
   * both; {@code includeThoughts} asks for thought summaries.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ThinkingConfig(Boolean includeThoughts, Integer thinkingBudget, String thinkingLevel) {}

  /** A response, or one streamed chunk of one. */
  record GenerateContentResponse(
      List<Candidate> candidates,
      PromptFeedback promptFeedback,
      UsageMetadata usageMetadata,
      String modelVersion,
      String responseId,
      JsonNode error) {}

  /** One candidate; only the first is followed. */
  record Candidate(Content content, String finishReason, Integer index, String finishMessage) {}

  /** Set when the prompt itself was blocked; there are no candidates then. */
  record PromptFeedback(String blockReason, String blockReasonMessage) {}

  /**
   * Token counts. {@code promptTokenCount} includes cached content; {@code totalTokenCount} is
   * prompt + tool-use prompt + candidates + thoughts.
   */
  record UsageMetadata(
      Long promptTokenCount,
      Long candidatesTokenCount,
      Long thoughtsTokenCount,
      Long cachedContentTokenCount,
      Long toolUsePromptTokenCount,
      Long totalTokenCount) {}
}
