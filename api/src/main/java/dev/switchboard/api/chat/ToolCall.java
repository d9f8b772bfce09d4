package dev.switchboard.api.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A tool call: in a message ({@code id}, {@code type}, {@code function}) and, with {@code index},
 * as a stream fragment where every field but {@code index} may be absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolCall(Integer index, String id, String type, FunctionCall function) {

  /** {@code name} and {@code arguments} (a JSON string). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FunctionCall(String name, String arguments) {}

  public static ToolCall complete(String id, String name, String arguments) {
    return new ToolCall(null, id, "function", new FunctionCall(name, arguments));
  }
}
