package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool offered to the model: a function tool whose {@code parameters} is a JSON Schema (may be
 * null), or a server tool the gateway runs itself ({@link #server()}: {@code name} is its type,
 * {@code openrouter:web_search} say, and {@code parameters} its settings, or null). Server tools
 * never reach an adapter: the gateway's before-model stage turns them into function tools it
 * answers itself.
 */
public record ToolSpec(
    String name, String description, JsonNode parameters, Boolean strict, JsonNode cacheControl) {

  /** The prefix of server tools' types. */
  public static final String SERVER_PREFIX = "openrouter:";

  /** A server tool of {@code type} with its settings (may be null). */
  public static ToolSpec server(String type, JsonNode settings) {
    return new ToolSpec(type, null, settings, null, null);
  }

  /** Whether this is a server tool rather than a function tool. */
  public boolean server() {
    return name.startsWith(SERVER_PREFIX);
  }
}
