package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.switchboard.api.chat.ChatMessage;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.chat.Tool;
import dev.switchboard.api.chat.ToolCall;
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

/** Reads an OpenAI {@code POST /v1/chat/completions} body into a {@link Prompt}, validating it. */
final class OpenAiRequestParser {

  private OpenAiRequestParser() {}

  static Prompt parse(byte[] body) throws DialectException {
    ChatRequest request = read(body);
    if (request.model() == null || request.model().isBlank()) {
      throw new DialectException(400, "you must provide a model parameter", null, null);
    }
    if (request.messages() == null || request.messages().isEmpty()) {
      throw new DialectException(
          400, "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
    }
    List<Turn> turns = new ArrayList<>(request.messages().size());
    for (int i = 0; i < request.messages().size(); i++) {
      turns.add(turn(request.messages().get(i), i));
    }
    List<ToolSpec> tools = tools(request.tools());
    Integer maxTokens =
        request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens();
    if (maxTokens != null && maxTokens < 1) {
      String param = request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
      throw new DialectException(
          400,
          "Invalid '"
              + param
              + "': integer below minimum value. Expected a value >= 1, but got "
              + maxTokens
              + " instead.",
          param,
          "integer_below_min_value");
    }
    JsonNode streamOptions = request.streamOptions();
    return new Prompt(
            request.model(),
            turns,
            tools,
            toolChoice(request.toolChoice(), tools),
            !Boolean.FALSE.equals(request.parallelToolCalls()),
            format(request.responseFormat()),
            maxTokens,
            stop(request.stop()),
            request.streaming(),
            streamOptions != null && streamOptions.path("include_usage").asBoolean(false))
        .withWebSearch(request.extra().containsKey("web_search_options"));
  }

  private static ChatRequest read(byte[] body) throws DialectException {
    try {
      ChatRequest request = ApiJson.read(body, ChatRequest.class);
      if (request == null) {
        throw new DialectException(400, OpenAiErrors.UNPARSABLE_JSON, null, null);
      }
      return request;
    } catch (MismatchedInputException e) {
      if (e.getPath().isEmpty()) {
        // The body is not a JSON object at all.
        throw new DialectException(400, OpenAiErrors.UNPARSABLE_JSON, null, null);
      }
      String field = e.getPath().getLast().getFieldName();
      throw new DialectException(
          400,
          "Invalid type for '" + (field == null ? "body" : field) + "': " + e.getOriginalMessage(),
          field,
          "invalid_type");
    } catch (IOException e) {
      throw new DialectException(400, OpenAiErrors.UNPARSABLE_JSON, null, null);
    }
  }

  private static Turn turn(ChatMessage message, int index) throws DialectException {
    Role role =
        switch (message.role() == null ? "" : message.role()) {
          case "system", "developer" -> Role.SYSTEM;
          case "user" -> Role.USER;
          case "assistant" -> Role.ASSISTANT;
          case "tool", "function" -> Role.TOOL;
          default ->
              throw new DialectException(
                  400,
                  "Invalid value: '"
                      + message.role()
                      + "'. Supported values are: 'system',"
                      + " 'assistant', 'user', 'function', 'tool', and 'developer'.",
                  "messages[" + index + "].role",
                  "invalid_value");
        };
    StringBuilder text = new StringBuilder(contentText(message.content()));
    if (message.toolCalls() != null) {
      for (ToolCall call : message.toolCalls()) {
        if (call.function() != null && call.function().arguments() != null) {
          text.append(text.isEmpty() ? "" : " ").append(call.function().arguments());
        }
      }
    }
    return new Turn(role, text.toString());
  }

  /** A string, or the text parts of an array of content parts joined with a space. */
  private static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder out = new StringBuilder();
      for (JsonNode part : content) {
        JsonNode text = part.isTextual() ? part : part.get("text");
        if (text != null && text.isTextual()) {
          out.append(out.isEmpty() ? "" : " ").append(text.asText());
        }
      }
      return out.toString();
    }
    return content.toString();
  }

  private static List<ToolSpec> tools(List<Tool> tools) throws DialectException {
    if (tools == null) {
      return List.of();
    }
    List<ToolSpec> specs = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      Tool tool = tools.get(i);
      if (tool == null || tool.function() == null || tool.function().name() == null) {
        throw new DialectException(
            400,
            "Missing required parameter: 'tools[" + i + "].function.name'.",
            "tools[" + i + "].function.name",
            "missing_required_parameter");
      }
      specs.add(new ToolSpec(tool.function().name(), tool.function().parameters()));
    }
    return specs;
  }

  private static ToolChoice toolChoice(JsonNode choice, List<ToolSpec> tools)
      throws DialectException {
    if (choice == null || choice.isNull()) {
      return new ToolChoice.Auto();
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "auto" -> new ToolChoice.Auto();
        case "none" -> new ToolChoice.None();
        case "required" -> new ToolChoice.Required();
        default ->
            throw new DialectException(
                400,
                "Invalid value: '"
                    + choice.asText()
                    + "'. Supported values are: 'none', 'auto',"
                    + " and 'required'.",
                "tool_choice",
                "invalid_value");
      };
    }
    String name = choice.path("function").path("name").asText(null);
    if (name == null) {
      throw new DialectException(
          400,
          "Missing required parameter: 'tool_choice.function.name'.",
          "tool_choice.function.name",
          "missing_required_parameter");
    }
    for (ToolSpec tool : tools) {
      if (tool.name().equals(name)) {
        return new ToolChoice.Named(name);
      }
    }
    throw new DialectException(
        400,
        "Invalid value for 'tool_choice': tool '" + name + "' is not in 'tools'.",
        "tool_choice",
        "invalid_value");
  }

  private static OutputFormat format(JsonNode format) throws DialectException {
    if (format == null || format.isNull()) {
      return new OutputFormat.Text();
    }
    return switch (format.path("type").asText("text")) {
      case "json_object" -> new OutputFormat.JsonObject();
      case "json_schema" -> {
        JsonNode spec = format.get("json_schema");
        if (spec == null || !spec.has("schema")) {
          throw new DialectException(
              400,
              "Missing required parameter: 'response_format.json_schema.schema'.",
              "response_format.json_schema.schema",
              "missing_required_parameter");
        }
        yield new OutputFormat.JsonSchema(spec.path("name").asText("response"), spec.get("schema"));
      }
      default -> new OutputFormat.Text();
    };
  }

  private static List<String> stop(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.asText());
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : stop) {
      if (s.isTextual()) {
        out.add(s.asText());
      }
    }
    return out;
  }
}
