package dev.switchboard.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolSpec;
import java.io.IOException;
import java.util.List;

/**
 * Whether the tool calls of an answer are sound, the checks OpenRouter's Auto Exacto names
 * (reference §6.3): every call's arguments are JSON ({@code InvalidJson}), its name is one of the
 * request's function tools ({@code UnknownName}), and its arguments pass the tool's {@code
 * parameters} schema, JSON Schema draft 7 ({@code SchemaMismatch}). Calls of the gateway's own
 * server tools are not judged by name or schema.
 */
final class ToolCallCheck {

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

  private ToolCallCheck() {}

  /** True when every call passes all three checks. */
  static boolean valid(List<ToolCall> calls, List<ToolSpec> tools) {
    for (ToolCall call : calls) {
      if (problem(call, tools) != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * What is wrong with one call ({@code invalid_json}, {@code unknown_name}, {@code schema}), or
   * null.
   */
  static String problem(ToolCall call, List<ToolSpec> tools) {
    JsonNode args;
    try {
      String text =
          call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
      args = ApiJson.tree(text);
    } catch (IOException | RuntimeException e) {
      return "invalid_json";
    }
    if (args == null || args.isMissingNode()) {
      return "invalid_json";
    }
    ToolSpec tool = null;
    for (ToolSpec t : tools) {
      if (t.name() != null && t.name().equals(call.name())) {
        tool = t;
        break;
      }
    }
    if (tool == null) {
      return tools.stream().anyMatch(ToolSpec::server) ? null : "unknown_name";
    }
    if (tool.server() || tool.parameters() == null || !tool.parameters().isObject()) {
      return null;
    }
    try {
      return FACTORY.getSchema(tool.parameters()).validate(args).isEmpty() ? null : "schema";
    } catch (RuntimeException e) {
      return null; // a schema the validator cannot read says nothing of the model
    }
  }
}
