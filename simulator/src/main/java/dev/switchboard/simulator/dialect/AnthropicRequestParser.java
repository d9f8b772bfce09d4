package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.simulator.behavior.Prompt.OutputFormat;
import dev.switchboard.simulator.behavior.Prompt.Role;
import dev.switchboard.simulator.behavior.Prompt.ToolChoice;
import dev.switchboard.simulator.behavior.Prompt.ToolSpec;
import dev.switchboard.simulator.behavior.Prompt.Turn;
import dev.switchboard.simulator.behavior.ThinkingText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an Anthropic {@code POST /v1/messages} body into a {@link Prompt}, refusing what Anthropic
 * refuses, so a gateway bug shows up as the 400 the real API would give: no {@code model}, no
 * {@code max_tokens}, no {@code messages}, a role other than user/assistant, a {@code tool_use}
 * without a {@code tool_result} right after it, a thinking budget under 1,024 or not below {@code
 * max_tokens}, {@code temperature} other than 1, {@code top_k} or a forced tool choice together
 * with thinking, and a thinking block sent back with a signature this simulator did not give.
 */
final class AnthropicRequestParser {

  private AnthropicRequestParser() {}

  static Prompt parse(byte[] body) throws DialectException {
    JsonNode root = read(body);
    String model = root.path("model").isTextual() ? root.get("model").textValue() : null;
    if (model == null || model.isBlank()) {
      throw invalid("model: Field required");
    }
    JsonNode maxTokensNode = root.get("max_tokens");
    if (maxTokensNode == null || !maxTokensNode.isIntegralNumber()) {
      throw invalid("max_tokens: Field required");
    }
    int maxTokens = maxTokensNode.intValue();
    if (maxTokens < 1) {
      throw invalid("max_tokens: Input should be greater than or equal to 1");
    }
    JsonNode messages = root.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw invalid("messages: Field required");
    }
    boolean thinking = thinking(root, maxTokens);
    List<Turn> turns = new ArrayList<>();
    system(root.get("system"), turns);
    for (int i = 0; i < messages.size(); i++) {
      message(messages, i, turns);
    }
    List<ToolSpec> tools = tools(root.get("tools"));
    JsonNode choice = root.get("tool_choice");
    ToolChoice toolChoice = toolChoice(choice, tools, thinking);
    return new Prompt(
            model,
            turns,
            tools,
            toolChoice,
            !root.path("tool_choice").path("disable_parallel_tool_use").asBoolean(false),
            format(root),
            maxTokens,
            stops(root.get("stop_sequences")),
            root.path("stream").asBoolean(false),
            true,
            thinking)
        .withWebSearch(webSearchTool(root.get("tools")));
  }

  /** Whether {@code tools} holds Anthropic's web search server tool ({@code web_search_*}). */
  private static boolean webSearchTool(JsonNode tools) {
    if (tools != null && tools.isArray()) {
      for (JsonNode t : tools) {
        if (t.path("type").asText("").startsWith("web_search_")) {
          return true;
        }
      }
    }
    return false;
  }

  private static JsonNode read(byte[] body) throws DialectException {
    try {
      JsonNode root = ApiJson.tree(body);
      if (root == null || !root.isObject()) {
        throw invalid("The request body must be a JSON object");
      }
      return root;
    } catch (IOException e) {
      throw invalid("The request body is not valid JSON");
    }
  }

  /** Whether thinking is on, checking what Anthropic checks about it. */
  private static boolean thinking(JsonNode root, int maxTokens) throws DialectException {
    JsonNode thinking = root.get("thinking");
    String type = thinking == null ? "disabled" : thinking.path("type").asText("disabled");
    if (type.equals("disabled")) {
      return false;
    }
    if (type.equals("enabled")) {
      JsonNode budget = thinking.get("budget_tokens");
      if (budget == null || !budget.isIntegralNumber()) {
        throw invalid("thinking.enabled.budget_tokens: Field required");
      }
      if (budget.intValue() < 1024) {
        throw invalid(
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
      }
      if (budget.intValue() >= maxTokens) {
        throw invalid(
            "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our"
                + " documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking");
      }
    } else if (!type.equals("adaptive")) {
      throw invalid("thinking.type: Input tag '" + type + "' found using 'type' does not match");
    }
    JsonNode temperature = root.get("temperature");
    if (temperature != null && temperature.isNumber() && temperature.doubleValue() != 1.0) {
      throw invalid(
          "`temperature` may only be set to 1 when thinking is enabled. Please consult our"
              + " documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking");
    }
    if (root.has("top_k")) {
      throw invalid("`top_k` cannot be set when thinking is enabled.");
    }
    return true;
  }

  private static void system(JsonNode system, List<Turn> turns) throws DialectException {
    if (system == null || system.isNull()) {
      return;
    }
    if (system.isTextual()) {
      turns.add(new Turn(Role.SYSTEM, system.textValue()));
      return;
    }
    if (!system.isArray()) {
      throw invalid("system: Input should be a valid string or list");
    }
    for (JsonNode block : system) {
      if (!"text".equals(block.path("type").asText())) {
        throw invalid("system: only text blocks are allowed");
      }
      turns.add(new Turn(Role.SYSTEM, block.path("text").asText("")));
    }
  }

  private static void message(JsonNode messages, int i, List<Turn> turns) throws DialectException {
    JsonNode message = messages.get(i);
    String role = message.path("role").asText("");
    if (!role.equals("user") && !role.equals("assistant")) {
      throw invalid("messages." + i + ".role: Input should be 'user' or 'assistant'");
    }
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      turns.add(new Turn(role.equals("user") ? Role.USER : Role.ASSISTANT, content.textValue()));
      return;
    }
    if (content == null || !content.isArray()) {
      throw invalid("messages." + i + ".content: Field required");
    }
    StringBuilder text = new StringBuilder();
    boolean other = false;
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String where = "messages." + i + ".content." + j;
      switch (block.path("type").asText("")) {
        case "text" -> {
          append(text, block.path("text").asText(""));
          other = true;
        }
        case "tool_result" -> turns.add(new Turn(Role.TOOL, resultText(block.get("content"))));
        case "tool_use" -> append(text, ApiJson.string(block.path("input")));
        case "thinking" -> {
          if (!ThinkingText.verify(
              block.path("thinking").asText(""), block.path("signature").asText(null))) {
            throw invalid(where + ": Invalid `signature` in `thinking` block");
          }
        }
        case "redacted_thinking" -> {}
        case "" -> throw invalid(where + ".type: Field required");
        default -> other = true;
      }
    }
    if (role.equals("assistant")) {
      turns.add(new Turn(Role.ASSISTANT, text.toString()));
      requireResults(messages, i);
    } else if (other) {
      turns.add(new Turn(Role.USER, text.toString()));
    }
  }

  /** Every {@code tool_use} of message {@code i} needs its {@code tool_result} in message i+1. */
  private static void requireResults(JsonNode messages, int i) throws DialectException {
    Set<String> open = new LinkedHashSet<>();
    for (JsonNode block : messages.get(i).path("content")) {
      if ("tool_use".equals(block.path("type").asText())) {
        open.add(block.path("id").asText());
      }
    }
    if (open.isEmpty() || i + 1 >= messages.size()) {
      return;
    }
    for (JsonNode block : messages.get(i + 1).path("content")) {
      if ("tool_result".equals(block.path("type").asText())) {
        open.remove(block.path("tool_use_id").asText());
      }
    }
    if (!open.isEmpty()) {
      throw invalid(
          "messages."
              + (i + 1)
              + ": `tool_use` ids were found without `tool_result` blocks immediately after: "
              + String.join(", ", open)
              + ". Each `tool_use` block must have a corresponding `tool_result` block in the"
              + " next message.");
    }
  }

  private static String resultText(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode block : content) {
      if ("text".equals(block.path("type").asText())) {
        append(out, block.path("text").asText(""));
      }
    }
    return out.toString();
  }

  private static void append(StringBuilder out, String text) {
    if (!text.isEmpty()) {
      out.append(out.isEmpty() ? "" : " ").append(text);
    }
  }

  private static List<ToolSpec> tools(JsonNode tools) throws DialectException {
    if (tools == null || tools.isNull()) {
      return List.of();
    }
    List<ToolSpec> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("custom");
      if (!type.equals("custom")) {
        continue; // a server tool (web search, code execution): not planned for
      }
      if (!tool.path("name").isTextual()) {
        throw invalid("tools." + i + ".custom.name: Field required");
      }
      if (!tool.path("input_schema").isObject()) {
        throw invalid("tools." + i + ".custom.input_schema: Field required");
      }
      out.add(new ToolSpec(tool.get("name").textValue(), tool.get("input_schema")));
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice, List<ToolSpec> tools, boolean thinking)
      throws DialectException {
    if (choice == null || choice.isNull()) {
      return new ToolChoice.Auto();
    }
    String type = choice.path("type").asText("");
    if (thinking && (type.equals("any") || type.equals("tool"))) {
      throw invalid("Thinking may not be enabled when tool_choice forces tool use.");
    }
    return switch (type) {
      case "auto" -> new ToolChoice.Auto();
      case "none" -> new ToolChoice.None();
      case "any" -> new ToolChoice.Required();
      case "tool" -> {
        String name = choice.path("name").asText(null);
        if (name == null || tools.stream().noneMatch(t -> t.name().equals(name))) {
          throw invalid("tool_choice.tool.name: Tool '" + name + "' not found in 'tools'");
        }
        yield new ToolChoice.Named(name);
      }
      default -> throw invalid("tool_choice.type: Input tag '" + type + "' does not match");
    };
  }

  /** {@code output_config.format}, or the beta's {@code output_format}. */
  private static OutputFormat format(JsonNode root) throws DialectException {
    JsonNode format = root.path("output_config").get("format");
    if (format == null) {
      format = root.get("output_format");
    }
    if (format == null || format.isNull()) {
      return new OutputFormat.Text();
    }
    if (!"json_schema".equals(format.path("type").asText()) || !format.path("schema").isObject()) {
      throw invalid("output_config.format: a json_schema format needs a schema object");
    }
    return new OutputFormat.JsonSchema("output", format.get("schema"));
  }

  private static List<String> stops(JsonNode stops) {
    if (stops == null || !stops.isArray()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(stops.size());
    for (JsonNode stop : stops) {
      if (stop.isTextual()) {
        out.add(stop.textValue());
      }
    }
    return out;
  }

  private static DialectException invalid(String message) {
    return new DialectException(400, message, null, "invalid_request_error");
  }
}
