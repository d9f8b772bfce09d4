package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayException;

/** Reading one plugin's item of the request's {@code plugins} array. */
final class PluginOptions {

  private PluginOptions() {}

  /** The item with {@code id}, or null; an item with {@code enabled:false} counts as absent. */
  static JsonNode enabled(JsonNode plugins, String id) {
    if (plugins == null || !plugins.isArray()) {
      return null;
    }
    for (JsonNode item : plugins) {
      if (id.equals(item.path("id").asText(null))) {
        JsonNode enabled = item.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
          throw GatewayException.invalid("\"plugins[id=" + id + "].enabled\" must be a boolean");
        }
        return enabled != null && enabled.isBoolean() && !enabled.booleanValue() ? null : item;
      }
    }
    return null;
  }

  /** Whether the item with {@code id} says {@code enabled:false}. */
  static boolean disabled(JsonNode plugins, String id) {
    if (plugins == null || !plugins.isArray()) {
      return false;
    }
    for (JsonNode item : plugins) {
      if (id.equals(item.path("id").asText(null))) {
        return item.path("enabled").isBoolean() && !item.get("enabled").booleanValue();
      }
    }
    return false;
  }

  static int integer(JsonNode item, String field, int dflt, int min, int max, String id) {
    JsonNode v = item == null ? null : item.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < min || v.intValue() > max) {
      throw GatewayException.invalid(
          "\"" + id + "." + field + "\" must be an integer from " + min + " to " + max);
    }
    return v.intValue();
  }

  static String string(JsonNode item, String field, String id) {
    JsonNode v = item == null ? null : item.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw GatewayException.invalid("\"" + id + "." + field + "\" must be a string");
    }
    return v.textValue();
  }
}
