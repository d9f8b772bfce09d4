package dev.switchboard.api.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A tool in a request: {@code {type:"function", function:{name, description, parameters, strict}}},
 * or a server tool the gateway runs itself ({@code {type:"openrouter:web_search",
 * parameters:{…}}}), whose settings are the top-level {@code parameters}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tool(String type, Function function, JsonNode cacheControl, JsonNode parameters) {

  /** A function tool (no server-tool settings). */
  public Tool(String type, Function function, JsonNode cacheControl) {
    this(type, function, cacheControl, null);
  }

  /** The function half of a tool. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Function(String name, String description, JsonNode parameters, Boolean strict) {}
}
