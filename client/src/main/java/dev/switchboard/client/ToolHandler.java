package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Java side of a tool: takes the model's arguments (parsed JSON) and returns the result, which
 * goes back to the model as text (a {@code String} as is, anything else as JSON). It may throw.
 */
@FunctionalInterface
public interface ToolHandler {

  Object call(JsonNode arguments) throws Exception;
}
