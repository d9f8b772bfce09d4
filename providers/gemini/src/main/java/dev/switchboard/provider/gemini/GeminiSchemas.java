package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema to the OpenAPI 3.0 subset Gemini 1.x and 2.0 take in {@code parameters} and {@code
 * responseSchema}: keywords outside the subset are dropped ({@code additionalProperties}, {@code
 * $schema}, {@code default}, ...), a type list with {@code "null"} becomes the other type plus
 * {@code nullable}, {@code const} becomes a one-value {@code enum}, and local {@code $ref}s ({@code
 * #/$defs/...}, {@code #/definitions/...}) are inlined to a fixed depth. Newer models get the
 * schema unchanged ({@code parametersJsonSchema}, {@code responseJsonSchema}).
 */
final class GeminiSchemas {

  private static final Set<String> KEPT =
      Set.of(
          "type",
          "format",
          "title",
          "description",
          "nullable",
          "enum",
          "maxItems",
          "minItems",
          "minLength",
          "maxLength",
          "pattern",
          "minimum",
          "maximum",
          "minProperties",
          "maxProperties",
          "required",
          "propertyOrdering");

  private static final int MAX_DEPTH = 16;

  private GeminiSchemas() {}

  static JsonNode toOpenApi(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return schema;
    }
    return convert(schema, schema, 0);
  }

  private static JsonNode convert(JsonNode node, JsonNode root, int depth) {
    ObjectNode out = ApiJson.object();
    if (!node.isObject() || depth > MAX_DEPTH) {
      return out;
    }
    JsonNode ref = node.get("$ref");
    if (ref != null && ref.isTextual()) {
      JsonNode target = resolve(root, ref.textValue());
      return target == null ? out : convert(target, root, depth + 1);
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      switch (key) {
        case "type" -> type(value, out);
        case "const" -> out.putArray("enum").add(value);
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          for (Map.Entry<String, JsonNode> p : value.properties()) {
            props.set(p.getKey(), convert(p.getValue(), root, depth + 1));
          }
        }
        case "items" -> out.set("items", convert(value, root, depth + 1));
        case "anyOf", "oneOf" -> {
          ArrayNode branches = out.putArray("anyOf");
          for (JsonNode branch : value) {
            branches.add(convert(branch, root, depth + 1));
          }
        }
        default -> {
          if (KEPT.contains(key) && !out.has(key)) {
            out.set(key, value);
          }
        }
      }
    }
    return out;
  }

  /** {@code "string"} as is; {@code ["string","null"]} as {@code string} plus {@code nullable}. */
  private static void type(JsonNode value, ObjectNode out) {
    if (value.isTextual()) {
      out.put("type", value.textValue());
      return;
    }
    if (value.isArray()) {
      for (JsonNode t : value) {
        if ("null".equals(t.asText())) {
          out.put("nullable", true);
        } else if (!out.has("type")) {
          out.put("type", t.asText());
        }
      }
    }
  }

  private static JsonNode resolve(JsonNode root, String ref) {
    if (ref.equals("#")) {
      return root;
    }
    if (!ref.startsWith("#/")) {
      return null;
    }
    JsonNode node = root;
    for (String segment : ref.substring(2).split("/")) {
      node = node.get(segment.replace("~1", "/").replace("~0", "~"));
      if (node == null) {
        return null;
      }
    }
    return node;
  }
}
