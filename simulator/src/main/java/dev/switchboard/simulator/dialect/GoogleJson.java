package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * JSON written the way Google's API writes it on the wire: {@code ": "} after a key, a bare {@code
 * ","} between members and elements ({@code {"text": "a","role": "model"}}).
 */
final class GoogleJson {

  private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

  private GoogleJson() {}

  static StringBuilder quote(StringBuilder out, String value) {
    out.append('"');
    ENCODER.quoteAsString(value, out);
    return out.append('"');
  }

  static StringBuilder append(StringBuilder out, JsonNode node) {
    if (node.isObject()) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        out.append(first ? "" : ",");
        first = false;
        quote(out, field.getKey()).append(": ");
        append(out, field.getValue());
      }
      return out.append('}');
    }
    if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : ",");
        append(out, node.get(i));
      }
      return out.append(']');
    }
    if (node.isTextual()) {
      return quote(out, node.textValue());
    }
    return out.append(node.toString());
  }
}
