package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.Tool;
import dev.switchboard.api.json.ApiJson;

/**
 * A Java function the model may call: a name, a description, a JSON Schema of the parameters and
 * the handler. {@link #of(String, String, Class, Handler)} derives the schema from a record and
 * hands the handler its arguments as that record.
 *
 * <pre>{@code
 * record Weather(String city) {}
 * ToolFunction weather = ToolFunction.of("get_weather", "Current weather in a city",
 *     Weather.class, args -> Map.of("city", args.city(), "celsius", 21));
 * }</pre>
 */
public record ToolFunction(
    String name, String description, JsonNode parameters, ToolHandler handler) {

  public ToolFunction {
    Checks.requireArgument(
        name != null && name.matches("[A-Za-z0-9_-]{1,64}"),
        "tool name must be 1 to 64 characters of [A-Za-z0-9_-], was %s",
        name);
    Checks.requireArgument(
        parameters != null && parameters.isObject(), "tool %s needs a JSON Schema object", name);
    Checks.requireArgument(handler != null, "tool %s needs a handler", name);
  }

  /** A tool with a hand-written schema; the handler gets the arguments as JSON. */
  public static ToolFunction of(
      String name, String description, JsonNode parameters, ToolHandler handler) {
    return new ToolFunction(name, description, parameters, handler);
  }

  /**
   * A tool whose parameters are the record {@code arguments}; the handler gets that record.
   * Arguments that do not fit the record fail with an {@link IllegalArgumentException} saying so,
   * which the tool loop reports to the model.
   */
  public static <A> ToolFunction of(
      String name, String description, Class<A> arguments, Handler<A> handler) {
    return new ToolFunction(
        name, description, JsonSchemas.of(arguments), json -> handler.call(bind(json, arguments)));
  }

  private static <A> A bind(JsonNode json, Class<A> type) {
    try {
      return ApiJson.mapper().treeToValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "arguments do not match "
              + type.getSimpleName()
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  /** The request's {@code tools} entry. */
  public Tool toTool() {
    return Chat.tool(name, description, parameters);
  }

  /** A handler that takes its arguments as a record. */
  @FunctionalInterface
  public interface Handler<A> {
    Object call(A arguments) throws Exception;
  }
}
