package dev.switchboard.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Small validation helpers of the inbound codec; every failure is a 400 naming the field. */
final class Checks {

  static final int MAX_MODELS = 3;
  static final int MAX_STOP = 4;
  static final int MAX_TOOL_NAME = 64;
  static final int MAX_SESSION_ID = 256;
  static final int MAX_METADATA_PAIRS = 16;
  static final int MAX_METADATA_KEY = 64;
  static final int MAX_METADATA_VALUE = 512;

  /** The reasoning efforts OpenRouter accepts (reference 3.7). */
  static final List<String> EFFORTS =
      List.of("max", "xhigh", "high", "medium", "low", "minimal", "none");

  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final BigDecimal MINUS_TWO = BigDecimal.valueOf(-2);

  private Checks() {}

  static GatewayException invalid(String message) {
    return GatewayException.invalid(message);
  }

  static boolean isNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  static void temperature(BigDecimal value) {
    if (value != null && (value.signum() < 0 || value.compareTo(TWO) > 0)) {
      throw invalid("\"temperature\" must be between 0 and 2");
    }
  }

  static void topP(BigDecimal value) {
    if (value != null && (value.signum() <= 0 || value.compareTo(BigDecimal.ONE) > 0)) {
      throw invalid("\"top_p\" must be greater than 0 and at most 1");
    }
  }

  static void penalty(String field, BigDecimal value) {
    if (value != null && (value.compareTo(MINUS_TWO) < 0 || value.compareTo(TWO) > 0)) {
      throw invalid("\"" + field + "\" must be between -2 and 2");
    }
  }

  static void atLeastOne(String field, Integer value) {
    if (value != null && value < 1) {
      throw invalid("\"" + field + "\" must be at least 1");
    }
  }

  static void nonNegative(String field, Integer value) {
    if (value != null && value < 0) {
      throw invalid("\"" + field + "\" must not be negative");
    }
  }

  static void topLogprobs(Integer value) {
    if (value != null && (value < 0 || value > 20)) {
      throw invalid("\"top_logprobs\" must be between 0 and 20");
    }
  }

  static void sessionId(String value) {
    if (value != null && value.length() > MAX_SESSION_ID) {
      throw invalid("\"session_id\" must be at most " + MAX_SESSION_ID + " characters");
    }
  }

  static void effort(String field, String value) {
    if (value != null && !EFFORTS.contains(value)) {
      throw invalid("\"" + field + "\" must be one of " + String.join(", ", EFFORTS));
    }
  }

  /** {@code stop}: a string, or an array of at most four strings. */
  static List<String> stop(JsonNode stop) {
    if (isNull(stop)) {
      return null;
    }
    if (stop.isTextual()) {
      return List.of(stop.textValue());
    }
    if (!stop.isArray()) {
      throw invalid("\"stop\" must be a string or an array of strings");
    }
    if (stop.size() > MAX_STOP) {
      throw invalid("\"stop\" must have " + MAX_STOP + " items or fewer");
    }
    String[] out = new String[stop.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode item = stop.get(i);
      if (!item.isTextual()) {
        throw invalid("\"stop[" + i + "]\" must be a string");
      }
      out[i] = item.textValue();
    }
    return List.of(out);
  }

  /** {@code metadata}: at most 16 string pairs, keys up to 64 and values up to 512 characters. */
  static JsonNode metadata(JsonNode metadata) {
    if (isNull(metadata)) {
      return null;
    }
    if (!metadata.isObject()) {
      throw invalid("\"metadata\" must be an object of string values");
    }
    if (metadata.size() > MAX_METADATA_PAIRS) {
      throw invalid("\"metadata\" must have " + MAX_METADATA_PAIRS + " pairs or fewer");
    }
    for (Map.Entry<String, JsonNode> field : metadata.properties()) {
      if (field.getKey().length() > MAX_METADATA_KEY) {
        throw invalid("\"metadata\" keys must be at most " + MAX_METADATA_KEY + " characters");
      }
      if (!field.getValue().isTextual()) {
        throw invalid("\"metadata." + field.getKey() + "\" must be a string");
      }
      if (field.getValue().textValue().length() > MAX_METADATA_VALUE) {
        throw invalid(
            "\"metadata."
                + field.getKey()
                + "\" must be at most "
                + MAX_METADATA_VALUE
                + " characters");
      }
    }
    return metadata;
  }

  /** A function name: 1 to 64 characters of {@code [A-Za-z0-9_-]}; no regex on the hot path. */
  static boolean validFunctionName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_TOOL_NAME) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}
