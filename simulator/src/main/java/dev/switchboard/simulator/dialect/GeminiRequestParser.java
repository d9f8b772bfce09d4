package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.simulator.behavior.Prompt.OutputFormat;
import dev.switchboard.simulator.behavior.Prompt.Role;
import dev.switchboard.simulator.behavior.Prompt.ToolChoice;
import dev.switchboard.simulator.behavior.Prompt.ToolSpec;
import dev.switchboard.simulator.behavior.Prompt.Turn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a Gemini {@code generateContent} body into a {@link Prompt}, validating it as Gemini does
 * where it matters to a client: contents required, roles {@code user} and {@code model} only, a
 * positive output limit, and, for Gemini 3 models, a thought signature on the first function call
 * of every model turn ({@code skip_thought_signature_validator} counts, as Google documents).
 */
final class GeminiRequestParser {

  private GeminiRequestParser() {}

  static Prompt parse(byte[] body, String model, boolean stream) throws DialectException {
    JsonNode root = read(body);
    JsonNode contents = root.get("contents");
    if (contents == null || !contents.isArray() || contents.isEmpty()) {
      throw invalid("* GenerateContentRequest.contents: contents is not specified");
    }
    List<Turn> turns = new ArrayList<>();
    JsonNode system = root.get("systemInstruction");
    if (system != null && system.isObject()) {
      turns.add(new Turn(Role.SYSTEM, text(system.path("parts"))));
    }
    for (int i = 0; i < contents.size(); i++) {
      content(contents.get(i), i, model, turns);
    }
    List<ToolSpec> tools = tools(root.path("tools"));
    JsonNode config = root.path("generationConfig");
    Integer maxTokens = null;
    if (config.has("maxOutputTokens")) {
      maxTokens = config.get("maxOutputTokens").asInt();
      if (maxTokens < 1) {
        throw invalid(
            "* GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must"
                + " be positive.");
      }
    }
    List<String> stop = new ArrayList<>();
    for (JsonNode s : config.path("stopSequences")) {
      stop.add(s.asText());
    }
    return new Prompt(
        model,
        turns,
        tools,
        toolChoice(root.path("toolConfig").path("functionCallingConfig"), tools),
        true,
        format(config),
        maxTokens,
        stop,
        stream,
        true,
        config.path("thinkingConfig").path("includeThoughts").asBoolean(false));
  }

  private static JsonNode read(byte[] body) throws DialectException {
    try {
      JsonNode root = ApiJson.tree(body);
      if (root != null && root.isObject()) {
        return root;
      }
    } catch (IOException e) {
      // below
    }
    throw invalid("Invalid JSON payload received. Unexpected token.");
  }

  private static void content(JsonNode content, int index, String model, List<Turn> turns)
      throws DialectException {
    String role = content.path("role").asText("user");
    JsonNode parts = content.path("parts");
    if (!parts.isArray() || parts.isEmpty()) {
      throw invalid(
          "* GenerateContentRequest.contents["
              + index
              + "].parts: contents.parts must not be empty.");
    }
    switch (role) {
      case "user" -> {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
          JsonNode response = part.get("functionResponse");
          if (response != null) {
            turns.add(new Turn(Role.TOOL, toolResult(response.path("response"))));
          } else if (part.path("text").isTextual()) {
            text.append(text.isEmpty() ? "" : " ").append(part.get("text").asText());
          }
        }
        if (!text.isEmpty()) {
          turns.add(new Turn(Role.USER, text.toString()));
        }
      }
      case "model" -> {
        if (model.startsWith("gemini-3")) {
          checkSignature(parts, index);
        }
        StringBuilder text = new StringBuilder(text(parts));
        for (JsonNode part : parts) {
          JsonNode call = part.get("functionCall");
          if (call != null) {
            text.append(text.isEmpty() ? "" : " ").append(ApiJson.string(call.path("args")));
          }
        }
        turns.add(new Turn(Role.ASSISTANT, text.toString()));
      }
      default ->
          throw invalid(
              "Please use a valid role: user, model. (got \""
                  + role
                  + "\" in contents["
                  + index
                  + "])");
    }
  }

  /** Gemini 3 refuses a replayed function call without the signature it was given. */
  private static void checkSignature(JsonNode parts, int index) throws DialectException {
    int position = 0;
    for (JsonNode part : parts) {
      position++;
      JsonNode call = part.get("functionCall");
      if (call == null) {
        continue;
      }
      String signature = part.path("thoughtSignature").asText("");
      if (signature.isEmpty()) {
        throw invalid(
            "Function call is missing a thought_signature in functionCall parts. This is required"
                + " for tools to work correctly, and missing thought_signature may lead to"
                + " degraded model performance. Additional data, function call `default_api:"
                + call.path("name").asText()
                + "` , position "
                + position
                + " of contents["
                + index
                + "]. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures"
                + " for more details.");
      }
      return; // only the first call of a turn carries one
    }
  }

  /** {@code {"output": "text"}} reads as the text; any other object as its JSON. */
  private static String toolResult(JsonNode response) {
    if (response.size() == 1 && response.path("output").isTextual()) {
      return response.get("output").asText();
    }
    return ApiJson.string(response);
  }

  private static String text(JsonNode parts) {
    StringBuilder out = new StringBuilder();
    for (JsonNode part : parts) {
      if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
        out.append(out.isEmpty() ? "" : " ").append(part.get("text").asText());
      }
    }
    return out.toString();
  }

  private static List<ToolSpec> tools(JsonNode tools) throws DialectException {
    List<ToolSpec> out = new ArrayList<>();
    for (JsonNode tool : tools) {
      for (JsonNode declaration : tool.path("functionDeclarations")) {
        String name = declaration.path("name").asText("");
        if (name.isEmpty()) {
          throw invalid(
              "* GenerateContentRequest.tools[0].function_declarations[0].name: Name cannot be"
                  + " empty.");
        }
        JsonNode schema = declaration.get("parametersJsonSchema");
        if (schema == null) {
          schema = declaration.get("parameters_json_schema");
        }
        if (schema == null && declaration.has("parameters")) {
          schema = lowerCaseTypes(declaration.get("parameters"));
        }
        out.add(new ToolSpec(name, schema));
      }
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode config, List<ToolSpec> tools)
      throws DialectException {
    String mode = config.path("mode").asText("AUTO").toUpperCase(Locale.ROOT);
    return switch (mode) {
      case "NONE" -> new ToolChoice.None();
      case "ANY" -> {
        JsonNode allowed = config.path("allowedFunctionNames");
        if (allowed.size() == 1) {
          String name = allowed.get(0).asText();
          if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw invalid(
                "* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names:"
                    + " function \""
                    + name
                    + "\" is not declared.");
          }
          yield new ToolChoice.Named(name);
        }
        yield new ToolChoice.Required();
      }
      default -> new ToolChoice.Auto();
    };
  }

  private static OutputFormat format(JsonNode config) {
    if (!"application/json".equals(config.path("responseMimeType").asText())) {
      return new OutputFormat.Text();
    }
    JsonNode schema = config.get("responseJsonSchema");
    if (schema == null && config.has("responseSchema")) {
      schema = lowerCaseTypes(config.get("responseSchema"));
    }
    return schema == null
        ? new OutputFormat.JsonObject()
        : new OutputFormat.JsonSchema("response", schema);
  }

  /** The OpenAPI subset names types in upper case ({@code OBJECT}); JSON Schema in lower. */
  private static JsonNode lowerCaseTypes(JsonNode schema) {
    if (schema.isObject()) {
      ObjectNode out = ApiJson.object();
      for (Map.Entry<String, JsonNode> field : schema.properties()) {
        JsonNode value = field.getValue();
        out.set(
            field.getKey(),
            field.getKey().equals("type") && value.isTextual()
                ? ApiJson.nodes().textNode(value.asText().toLowerCase(Locale.ROOT))
                : lowerCaseTypes(value));
      }
      return out;
    }
    if (schema.isArray()) {
      ArrayNode out = ApiJson.nodes().arrayNode(schema.size());
      for (JsonNode item : schema) {
        out.add(lowerCaseTypes(item));
      }
      return out;
    }
    return schema;
  }

  private static DialectException invalid(String message) {
    return new DialectException(400, message, null, "INVALID_ARGUMENT");
  }
}
