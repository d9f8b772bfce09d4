package dev.switchboard.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of {@link Fault}s, used by the control API and the {@code x-sim-fault} header:
 *
 * <pre>
 * {"kind":"status","status":429,"body":{...}|"raw text","headers":{"Retry-After":"2"},"count":1}
 * {"kind":"timeout","delay_ms":0}
 * {"kind":"cut","after_chunks":3}
 * {"kind":"malformed","after_chunks":3}
 * {"kind":"error_event","after_chunks":3,"style":"event"|"data","body":{...}}
 * {"kind":"partial","after_chunks":3}
 * {"kind":"bad_tool_calls","defect":"invalid_json"|"unknown_name"|"schema_mismatch"}
 * </pre>
 *
 * {@code count} (default 0 = until cleared) is allowed on every kind; {@code after_chunks} defaults
 * to 2.
 */
final class FaultJson {

  static final int DEFAULT_AFTER_CHUNKS = 2;

  private FaultJson() {}

  /** One fault, or an array of faults. */
  static List<Fault> parseList(String json) {
    JsonNode node = tree(json);
    List<Fault> faults = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode item : node) {
        faults.add(parse(item));
      }
    } else {
      faults.add(parse(node));
    }
    return faults;
  }

  static Fault parse(String json) {
    return parse(tree(json));
  }

  static Fault parse(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a fault is a JSON object with a \"kind\"");
    }
    int count = node.path("count").asInt(Fault.UNTIL_CLEARED);
    int after = node.path("after_chunks").asInt(DEFAULT_AFTER_CHUNKS);
    String kind = node.path("kind").asText("");
    return switch (kind) {
      case "status" -> {
        if (!node.path("status").canConvertToInt()) {
          throw new IllegalArgumentException("a status fault needs a numeric \"status\"");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> h : node.path("headers").properties()) {
          headers.put(h.getKey(), h.getValue().asText());
        }
        yield new Fault.Status(node.get("status").asInt(), body(node), headers, count);
      }
      case "timeout" -> new Fault.Timeout(node.path("delay_ms").asLong(0), count);
      case "cut" -> new Fault.Cut(after, count);
      case "malformed" -> new Fault.Malformed(after, count);
      case "error_event" ->
          new Fault.ErrorEvent(after, style(node.path("style").asText("event")), body(node), count);
      case "partial" -> new Fault.Partial(after, count);
      case "bad_tool_calls" ->
          new Fault.BadToolCalls(defect(node.path("defect").asText("")), count);
      default ->
          throw new IllegalArgumentException(
              "unknown fault kind '"
                  + kind
                  + "'; use status, timeout, cut, malformed, error_event, partial or"
                  + " bad_tool_calls");
    };
  }

  private static Fault.ToolCallDefect defect(String defect) {
    return switch (defect.toLowerCase(Locale.ROOT)) {
      case "", "invalid_json" -> Fault.ToolCallDefect.INVALID_JSON;
      case "unknown_name" -> Fault.ToolCallDefect.UNKNOWN_NAME;
      case "schema_mismatch" -> Fault.ToolCallDefect.SCHEMA_MISMATCH;
      default ->
          throw new IllegalArgumentException(
              "unknown bad_tool_calls defect '"
                  + defect
                  + "'; use invalid_json, unknown_name or schema_mismatch");
    };
  }

  private static Fault.ErrorStyle style(String style) {
    return switch (style.toLowerCase(Locale.ROOT)) {
      case "event" -> Fault.ErrorStyle.EVENT;
      case "data" -> Fault.ErrorStyle.DATA;
      default ->
          throw new IllegalArgumentException(
              "unknown error_event style '" + style + "'; use event or data");
    };
  }

  static ObjectNode toJson(Fault fault) {
    ObjectNode out = ApiJson.object();
    switch (fault) {
      case Fault.Status s -> {
        out.put("kind", "status").put("status", s.status());
        putBody(out, s.body());
        if (!s.headers().isEmpty()) {
          ObjectNode headers = out.putObject("headers");
          s.headers().forEach(headers::put);
        }
      }
      case Fault.Timeout t -> out.put("kind", "timeout").put("delay_ms", t.delayMs());
      case Fault.Cut c -> out.put("kind", "cut").put("after_chunks", c.afterChunks());
      case Fault.Malformed m -> out.put("kind", "malformed").put("after_chunks", m.afterChunks());
      case Fault.ErrorEvent e -> {
        out.put("kind", "error_event").put("after_chunks", e.afterChunks());
        out.put("style", e.style().name().toLowerCase(Locale.ROOT));
        putBody(out, e.body());
      }
      case Fault.Partial p -> out.put("kind", "partial").put("after_chunks", p.afterChunks());
      case Fault.BadToolCalls b ->
          out.put("kind", "bad_tool_calls")
              .put("defect", b.defect().name().toLowerCase(Locale.ROOT));
    }
    out.put("count", fault.count());
    return out;
  }

  /** {@code body} as raw text: a JSON object or array is serialised, a string is taken as is. */
  private static String body(JsonNode node) {
    JsonNode body = node.get("body");
    if (body == null || body.isNull()) {
      return null;
    }
    return body.isTextual() ? body.asText() : ApiJson.string(body);
  }

  private static void putBody(ObjectNode out, String body) {
    if (body == null) {
      return;
    }
    try {
      JsonNode parsed = ApiJson.tree(body);
      if (parsed != null && (parsed.isObject() || parsed.isArray())) {
        out.set("body", parsed);
        return;
      }
    } catch (IOException e) {
      // Not JSON: shown as a string below.
    }
    out.put("body", body);
  }

  private static JsonNode tree(String json) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("expected a fault as a JSON body");
    }
    try {
      JsonNode node = ApiJson.tree(json);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("empty fault JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("fault is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("fault is not valid JSON: " + e.getMessage(), e);
    }
  }
}
