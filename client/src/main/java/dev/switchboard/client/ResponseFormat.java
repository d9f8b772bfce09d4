package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;

/**
 * The request's {@code response_format}: plain text, JSON mode, or a JSON schema. {@link
 * #jsonSchema(Class)} derives the schema from a Java record (see {@link JsonSchemas}); parse the
 * answer back with {@link ChatResponse#parse(Class)}.
 *
 * @param json the wire value
 */
public record ResponseFormat(JsonNode json) {

  public static ResponseFormat text() {
    return new ResponseFormat(ApiJson.object().put("type", "text"));
  }

  /** JSON mode: any JSON object (also ask for JSON in the prompt). */
  public static ResponseFormat jsonObject() {
    return new ResponseFormat(ApiJson.object().put("type", "json_object"));
  }

  /**
   * {@code {"type":"json_schema","json_schema":{"name","strict","schema"}}}; {@code name} at most
   * 64 characters of {@code [A-Za-z0-9_-]}.
   */
  public static ResponseFormat jsonSchema(String name, JsonNode schema, boolean strict) {
    Checks.requireArgument(
        name != null && name.matches("[A-Za-z0-9_-]{1,64}"),
        "schema name must be 1 to 64 characters of [A-Za-z0-9_-], was %s",
        name);
    ObjectNode inner = ApiJson.object().put("name", name).put("strict", strict);
    inner.set("schema", schema);
    ObjectNode format = ApiJson.object().put("type", "json_schema");
    format.set("json_schema", inner);
    return new ResponseFormat(format);
  }

  /** A strict JSON schema derived from {@code type} (a record), named after the type. */
  public static ResponseFormat jsonSchema(Class<?> type) {
    return jsonSchema(type.getSimpleName(), JsonSchemas.of(type), true);
  }
}
