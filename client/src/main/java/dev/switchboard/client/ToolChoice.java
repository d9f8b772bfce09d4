package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;

/**
 * The request's {@code tool_choice}: {@code "auto"}, {@code "none"}, {@code "required"} or one
 * named function.
 *
 * @param json the wire value
 */
public record ToolChoice(JsonNode json) {

  /** The model decides (the default when tools are given). */
  public static ToolChoice auto() {
    return new ToolChoice(ApiJson.nodes().textNode("auto"));
  }

  /** No tool calls. */
  public static ToolChoice none() {
    return new ToolChoice(ApiJson.nodes().textNode("none"));
  }

  /** At least one tool call. */
  public static ToolChoice required() {
    return new ToolChoice(ApiJson.nodes().textNode("required"));
  }

  /** A call of the function {@code name}: {@code {"type":"function","function":{"name":...}}}. */
  public static ToolChoice function(String name) {
    ObjectNode choice = ApiJson.object().put("type", "function");
    choice.set("function", ApiJson.object().put("name", Checks.requireText(name, "function name")));
    return new ToolChoice(choice);
  }
}
