package dev.switchboard.core.openai;

import static dev.switchboard.core.openai.Checks.invalid;
import static dev.switchboard.core.openai.Checks.isNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.Tool;
import dev.switchboard.core.model.ResponseFormat;
import dev.switchboard.core.model.ToolChoice;
import dev.switchboard.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/** {@code tools}, {@code tool_choice} and {@code response_format}, validated. */
final class ToolDecoder {

  private static final String CHOICE_SHAPE =
      "\"tool_choice\" must be \"none\", \"auto\", \"required\" or"
          + " {\"type\":\"function\",\"function\":{\"name\":...}}";

  private ToolDecoder() {}

  static List<ToolSpec> tools(List<Tool> tools) {
    if (tools == null || tools.isEmpty()) {
      return List.of();
    }
    List<ToolSpec> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      Tool tool = tools.get(i);
      String path = "tools[" + i + "]";
      if (tool == null) {
        throw invalid("\"" + path + "\" must be an object");
      }
      if (tool.type() != null && !tool.type().equals("function")) {
        out.add(serverTool(tool, path));
        continue;
      }
      if (!isNull(tool.parameters())) {
        throw invalid(
            "\""
                + path
                + ".parameters\" is for server tools; a function tool's parameters go in"
                + " \"function.parameters\"");
      }
      Tool.Function function = tool.function();
      if (function == null) {
        throw invalid("\"" + path + ".function\" is required");
      }
      String name = function.name();
      if (name == null || name.isEmpty()) {
        throw invalid("\"" + path + ".function.name\" is required");
      }
      if (name.length() > Checks.MAX_TOOL_NAME) {
        throw invalid(
            "\""
                + path
                + ".function.name\" must be at most "
                + Checks.MAX_TOOL_NAME
                + " characters");
      }
      if (!Checks.validFunctionName(name)) {
        throw invalid(
            "\"" + path + ".function.name\" may only contain letters, digits, '_' and '-'");
      }
      if (!isNull(function.parameters()) && !function.parameters().isObject()) {
        throw invalid("\"" + path + ".function.parameters\" must be a JSON Schema object");
      }
      out.add(
          new ToolSpec(
              name,
              function.description(),
              isNull(function.parameters()) ? null : function.parameters(),
              function.strict(),
              isNull(tool.cacheControl()) ? null : tool.cacheControl()));
    }
    return out;
  }

  /**
   * A server tool: {@code openrouter:web_search}, {@code openrouter:web_fetch}, {@code
   * openrouter:datetime}, or one of OpenAI's web-search shorthands (turned into {@code
   * openrouter:web_search}, reference 3.5). Other OpenRouter server tools are documented but not
   * built here (501); any other type is not a tool type (400).
   */
  private static ToolSpec serverTool(Tool tool, String path) {
    String type = SERVER_ALIASES.getOrDefault(tool.type(), tool.type());
    if (!SERVER_TOOLS.contains(type)) {
      if (type.startsWith(ToolSpec.SERVER_PREFIX)) {
        throw new dev.switchboard.core.error.GatewayException(
            dev.switchboard.core.error.GatewayError.of(
                dev.switchboard.core.error.FailureClass.INVALID_REQUEST,
                501,
                "\""
                    + path
                    + ".type\" \""
                    + type
                    + "\" is a server tool this gateway does not run; it runs "
                    + String.join(", ", SERVER_TOOLS)));
      }
      throw invalid(
          "\""
              + path
              + ".type\" \""
              + tool.type()
              + "\" is not supported; tools are \"function\" or the server tools "
              + String.join(", ", SERVER_TOOLS));
    }
    if (tool.function() != null) {
      throw invalid("\"" + path + ".function\" is only for \"function\" tools");
    }
    JsonNode settings = tool.parameters();
    if (!isNull(settings) && !settings.isObject()) {
      throw invalid("\"" + path + ".parameters\" must be an object");
    }
    return ToolSpec.server(type, isNull(settings) ? null : settings);
  }

  /** The server tools this gateway runs, by type. */
  static final List<String> SERVER_TOOLS =
      List.of("openrouter:web_search", "openrouter:web_fetch", "openrouter:datetime");

  private static final java.util.Map<String, String> SERVER_ALIASES =
      java.util.Map.of(
          "web_search", "openrouter:web_search",
          "web_search_preview", "openrouter:web_search",
          "web_search_preview_2025_03_11", "openrouter:web_search",
          "web_search_2025_08_26", "openrouter:web_search");

  static ToolChoice toolChoice(JsonNode choice, List<ToolSpec> tools) {
    if (isNull(choice)) {
      return null;
    }
    ToolChoice result;
    if (choice.isTextual()) {
      result =
          switch (choice.textValue()) {
            case "none" -> ToolChoice.NONE;
            case "auto" -> ToolChoice.AUTO;
            case "required" -> ToolChoice.REQUIRED;
            default -> throw invalid(CHOICE_SHAPE);
          };
    } else if (choice.isObject()) {
      JsonNode type = choice.get("type");
      if (type != null && SERVER_TOOLS.contains(type.asText())) {
        // OpenRouter's ChatServerToolChoice: force a server tool that "tools" offers.
        if (!declares(tools, type.asText())) {
          throw invalid(
              "\"tool_choice\" names server tool \""
                  + type.asText()
                  + "\", which is not in \"tools\"");
        }
        return ToolChoice.function(type.asText());
      }
      if (type != null && !"function".equals(type.asText())) {
        throw invalid(CHOICE_SHAPE);
      }
      String name = Checks.text(choice.path("function"), "name");
      if (name == null) {
        throw invalid("\"tool_choice.function.name\" is required");
      }
      result = ToolChoice.function(name);
    } else {
      throw invalid(CHOICE_SHAPE);
    }
    if (result.mode() == ToolChoice.Mode.REQUIRED && tools.isEmpty()) {
      throw invalid("\"tool_choice\" is \"required\" but no \"tools\" were given");
    }
    if (result.mode() == ToolChoice.Mode.FUNCTION && !declares(tools, result.functionName())) {
      throw invalid(
          "\"tool_choice\" names function \""
              + result.functionName()
              + "\", which is not in \"tools\"");
    }
    return result;
  }

  private static boolean declares(List<ToolSpec> tools, String name) {
    for (ToolSpec tool : tools) {
      if (tool.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  static ResponseFormat responseFormat(JsonNode format) {
    if (isNull(format)) {
      return null;
    }
    if (!format.isObject() || !format.path("type").isTextual()) {
      throw invalid("\"response_format\" must be an object with a string \"type\"");
    }
    String type = format.get("type").textValue();
    if (!type.equals("json_schema")) {
      return new ResponseFormat(type, null, null, null, format);
    }
    JsonNode schema = format.get("json_schema");
    if (schema == null || !schema.isObject()) {
      throw invalid("\"response_format.json_schema\" is required when \"type\" is \"json_schema\"");
    }
    JsonNode strict = schema.get("strict");
    return new ResponseFormat(
        type,
        Checks.text(schema, "name"),
        isNull(schema.get("schema")) ? null : schema.get("schema"),
        strict != null && strict.isBoolean() ? strict.booleanValue() : null,
        format);
  }
}
