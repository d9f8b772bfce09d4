package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.StreamEvent;
import java.util.List;

/**
 * Canonical values as JSON for golden files. Stream events get an {@code "event"} member with the
 * variant's name ({@code TextDelta}, {@code Finished}, ...), since the sealed interface carries no
 * type tag of its own.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  /** One event: its record components plus {@code "event": "<VariantName>"}. */
  public static JsonNode event(StreamEvent event) {
    ObjectNode out = ApiJson.object();
    out.put("event", event.getClass().getSimpleName());
    JsonNode fields = ApiJson.toTree(event);
    if (fields.isObject()) {
      out.setAll((ObjectNode) fields);
    }
    return out;
  }

  /** A list of events as a JSON array. */
  public static JsonNode events(List<StreamEvent> events) {
    ArrayNode out = ApiJson.nodes().arrayNode(events.size());
    for (StreamEvent event : events) {
      out.add(event(event));
    }
    return out;
  }

  /** Any canonical value (records, enums, lists) as a JSON tree. */
  public static JsonNode of(Object value) {
    return ApiJson.toTree(value);
  }
}
