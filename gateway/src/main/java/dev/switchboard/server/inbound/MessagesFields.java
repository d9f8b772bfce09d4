package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Set;

/**
 * The field checks of {@code /messages} bodies, shared by {@link MessagesRequestReader} and {@link
 * MessagesTurnReader}: each reads one field or refuses it with a 400 naming its path.
 */
final class MessagesFields {

  private MessagesFields() {}

  static JsonNode cacheControl(JsonNode cache, String path) {
    if (!cache.isObject()) {
      throw invalid("\"" + path + "\" must be an object {type: \"ephemeral\", ttl?}");
    }
    onlyKeys(cache, path, Set.of("type", "ttl"));
    if (!"ephemeral".equals(optionalText(cache, "type"))) {
      throw invalid("\"" + path + ".type\" must be \"ephemeral\"");
    }
    String ttl = optionalText(cache, "ttl");
    if (ttl != null && !ttl.equals("5m") && !ttl.equals("1h")) {
      throw invalid("\"" + path + ".ttl\" must be \"5m\" or \"1h\"");
    }
    return cache;
  }

  static void onlyKeys(JsonNode node, String path, Set<String> keys) {
    if (node == null || !node.isObject()) {
      throw invalid("\"" + path + "\" must be an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!keys.contains(key)) {
        throw invalid("\"" + path + "." + key + "\" is not supported on /messages");
      }
    }
  }

  static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  static String optionalText(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid("\"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  static String requiredText(JsonNode node, String field, String path) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid("\"" + path + "\" is required and must be a string");
    }
    return v.textValue();
  }

  static Integer integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid("\"" + field + "\" must be a whole number");
    }
    return v.intValue();
  }

  static BigDecimal decimal(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isNumber()) {
      throw invalid("\"" + field + "\" must be a number");
    }
    return v.decimalValue();
  }

  static boolean bool(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      return false;
    }
    if (!v.isBoolean()) {
      throw invalid("\"" + field + "\" must be true or false");
    }
    return v.booleanValue();
  }

  static GatewayException invalid(String message) {
    return GatewayException.invalid(message);
  }
}
