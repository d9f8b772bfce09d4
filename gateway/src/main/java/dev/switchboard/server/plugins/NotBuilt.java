package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;

/**
 * A plugin OpenRouter documents that this gateway does not have yet: asking for it is a 501 that
 * names it, never a request that silently runs without it. {@code enabled:false} is accepted (it
 * asks for nothing).
 */
record NotBuilt(String id, String what) implements Plugin {

  @Override
  public void check(String at, JsonNode item, LlmRequest request) {
    throw notImplemented(
        "Plugin \""
            + id
            + "\" ("
            + what
            + ", "
            + at
            + ") is not available in this gateway yet; remove it from \"plugins\"");
  }

  static GatewayException notImplemented(String message) {
    return new GatewayException(
        GatewayError.of(FailureClass.INVALID_REQUEST, 501, message)
            .withMetadata("error_type", "not_implemented"));
  }
}
