package dev.switchboard.simulator.behavior;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Builds one deterministic JSON instance that is valid against a JSON schema, for tool-call
 * arguments and structured outputs. Values are meaningful where the schema allows: a string is the
 * name of its property ({@code {"city":"city"}}), a number sits at its lower bound.
 *
 * <p>Covered: {@code type} (one or a list; the first non-null type wins), {@code const}, {@code
 * enum} (first value), {@code properties} (all of them, in order), {@code required}, {@code
 * additionalProperties} and {@code minProperties} (extra {@code property_N} keys), {@code items},
 * {@code prefixItems}, {@code minItems}/{@code maxItems}, {@code uniqueItems} (items differ by
 * index), {@code minimum}/{@code maximum} and their exclusive forms (draft 4 booleans too), {@code
 * multipleOf}, {@code minLength}/{@code maxLength}, common {@code format}s, {@code anyOf}/{@code
 * oneOf} (first branch), {@code allOf} (merged), {@code $ref} to {@code #}, {@code #/$defs/...} and
 * {@code #/definitions/...}. Not covered: {@code pattern}, {@code not}, {@code if/then/else},
 * {@code dependentSchemas}. Past depth 6 (recursive schemas) only required properties and {@code
 * minItems} items are generated; generation stops at depth 16.
 */
public final class SchemaInstances {

  private static final JsonNodeFactory NODES = ApiJson.nodes();
  private static final int MAX_DEPTH = 16;
  private static final int SHALLOW = 6;

  private final JsonNode root;

  private SchemaInstances(JsonNode root) {
    this.root = root;
  }

  /** An instance of {@code schema}; {@code name} names the root value (used for strings). */
  public static JsonNode generate(JsonNode schema, String name) {
    return new SchemaInstances(schema).value(schema, name == null ? "value" : name, 0, 0);
  }

  private JsonNode value(JsonNode schema, String name, int index, int depth) {
    if (schema == null || schema.isMissingNode() || schema.isNull()) {
      return text(name, index);
    }
    if (schema.isBoolean()) {
      return schema.booleanValue() ? text(name, index) : NODES.nullNode();
    }
    if (depth > MAX_DEPTH) {
      return minimal(schema);
    }
    if (schema.has("$ref")) {
      JsonNode target = resolve(schema.get("$ref").asText());
      if (target != null) {
        return value(target, name, index, depth + 1);
      }
    }
    if (schema.has("const")) {
      return schema.get("const").deepCopy();
    }
    JsonNode enumValues = schema.get("enum");
    if (enumValues != null && enumValues.isArray() && !enumValues.isEmpty()) {
      return enumValues.get(index % enumValues.size()).deepCopy();
    }
    for (String key : new String[] {"anyOf", "oneOf"}) {
      JsonNode branches = schema.get(key);
      if (branches != null && branches.isArray() && !branches.isEmpty()) {
        return value(mergeSiblings(schema, branches.get(0), key), name, index, depth + 1);
      }
    }
    JsonNode allOf = schema.get("allOf");
    if (allOf != null && allOf.isArray() && !allOf.isEmpty()) {
      ObjectNode merged = without(schema, "allOf");
      for (JsonNode part : allOf) {
        merged = merge(merged, part.has("$ref") ? resolve(part.get("$ref").asText()) : part);
      }
      return value(merged, name, index, depth + 1);
    }
    return switch (type(schema)) {
      case "object" -> object(schema, depth);
      case "array" -> array(schema, name, depth);
      case "integer" -> number(schema, index, true);
      case "number" -> number(schema, index, false);
      case "boolean" -> NODES.booleanNode(index % 2 == 0);
      case "null" -> NODES.nullNode();
      default -> string(schema, name, index);
    };
  }

  private ObjectNode object(JsonNode schema, int depth) {
    ObjectNode out = NODES.objectNode();
    JsonNode properties = schema.get("properties");
    JsonNode required = schema.get("required");
    boolean deep = depth > SHALLOW;
    if (properties != null && properties.isObject()) {
      for (Map.Entry<String, JsonNode> p : properties.properties()) {
        if (!deep || contains(required, p.getKey())) {
          out.set(p.getKey(), value(p.getValue(), p.getKey(), 0, depth + 1));
        }
      }
    }
    if (required != null && required.isArray()) {
      for (JsonNode r : required) {
        if (!out.has(r.asText())) {
          out.set(r.asText(), value(additional(schema), r.asText(), 0, depth + 1));
        }
      }
    }
    int minProperties = schema.path("minProperties").asInt(0);
    for (int i = 1; out.size() < minProperties; i++) {
      String key = "property_" + i;
      if (!out.has(key)) {
        out.set(key, value(additional(schema), key, 0, depth + 1));
      }
    }
    return out;
  }

  private static boolean contains(JsonNode array, String value) {
    if (array != null && array.isArray()) {
      for (JsonNode item : array) {
        if (value.equals(item.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private static JsonNode additional(JsonNode schema) {
    JsonNode additional = schema.get("additionalProperties");
    return additional != null && additional.isObject() ? additional : null;
  }

  private ArrayNode array(JsonNode schema, String name, int depth) {
    ArrayNode out = NODES.arrayNode();
    JsonNode prefix = schema.get("prefixItems");
    int prefixSize = prefix != null && prefix.isArray() ? prefix.size() : 0;
    int minItems = schema.path("minItems").asInt(0);
    // Deep inside (recursive schemas) only the required minimum, so recursion ends.
    int count = depth > SHALLOW ? minItems : Math.max(1, Math.max(minItems, prefixSize));
    if (schema.has("maxItems")) {
      count = Math.min(count, schema.get("maxItems").asInt());
    }
    JsonNode items = schema.get("items");
    for (int i = 0; i < count; i++) {
      JsonNode itemSchema = i < prefixSize ? prefix.get(i) : items;
      if (itemSchema != null && itemSchema.isArray()) {
        // Draft 4 tuple form: "items": [schema, schema, ...].
        itemSchema = i < itemSchema.size() ? itemSchema.get(i) : null;
      }
      out.add(value(itemSchema, singular(name), i, depth + 1));
    }
    return out;
  }

  private static JsonNode string(JsonNode schema, String name, int index) {
    String format = schema.path("format").asText("");
    String value =
        switch (format) {
          case "date-time" -> "2024-01-0" + (1 + index % 9) + "T12:00:00Z";
          case "date" -> "2024-01-0" + (1 + index % 9);
          case "time" -> "12:00:0" + (index % 10);
          case "email", "idn-email" -> "user" + (index + 1) + "@example.com";
          case "uri", "url", "iri", "uri-reference" -> "https://example.com/" + slug(name) + index;
          case "uuid" -> String.format("00000000-0000-4000-8000-%012d", index + 1);
          case "hostname", "idn-hostname" -> "host" + (index + 1) + ".example.com";
          case "ipv4" -> "192.0.2." + (1 + index % 250);
          case "ipv6" -> "2001:db8::" + (1 + index % 250);
          case "duration" -> "PT" + (index + 1) + "M";
          default -> index == 0 ? name : name + " " + (index + 1);
        };
    int min = schema.path("minLength").asInt(0);
    int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : Integer.MAX_VALUE;
    StringBuilder out = new StringBuilder(value);
    while (out.codePointCount(0, out.length()) < min) {
      out.append(out.length() == 0 ? "x" : "-");
    }
    String result = out.toString();
    if (result.codePointCount(0, result.length()) > max) {
      result = result.substring(0, result.offsetByCodePoints(0, Math.max(0, max)));
    }
    return NODES.textNode(result);
  }

  private static JsonNode number(JsonNode schema, int index, boolean integer) {
    BigDecimal lo = null;
    BigDecimal hi = null;
    boolean loExclusive = false;
    boolean hiExclusive = false;
    if (schema.path("minimum").isNumber()) {
      lo = schema.get("minimum").decimalValue();
      loExclusive = schema.path("exclusiveMinimum").asBoolean(false);
    }
    if (schema.path("exclusiveMinimum").isNumber()) {
      lo = schema.get("exclusiveMinimum").decimalValue();
      loExclusive = true;
    }
    if (schema.path("maximum").isNumber()) {
      hi = schema.get("maximum").decimalValue();
      hiExclusive = schema.path("exclusiveMaximum").asBoolean(false);
    }
    if (schema.path("exclusiveMaximum").isNumber()) {
      hi = schema.get("exclusiveMaximum").decimalValue();
      hiExclusive = true;
    }
    BigDecimal step = integer ? BigDecimal.ONE : new BigDecimal("0.5");
    BigDecimal value =
        (integer ? BigDecimal.ONE : new BigDecimal("1.5")).add(BigDecimal.valueOf(index));
    if (lo != null) {
      BigDecimal floor = loExclusive ? lo.add(step) : lo;
      if (integer) {
        floor = floor.setScale(0, RoundingMode.CEILING);
      }
      value = floor.add(BigDecimal.valueOf(index));
    }
    if (hi != null) {
      BigDecimal ceiling = hiExclusive ? hi.subtract(step) : hi;
      if (integer) {
        ceiling = ceiling.setScale(0, RoundingMode.FLOOR);
      }
      if (value.compareTo(ceiling) > 0) {
        value = lo != null && loExclusive && hiExclusive && !integer ? mid(lo, hi) : ceiling;
        if (lo != null && value.compareTo(lo) < 0) {
          value = lo;
        }
      }
    }
    if (schema.path("multipleOf").isNumber()
        && schema.get("multipleOf").decimalValue().signum() > 0) {
      BigDecimal m = schema.get("multipleOf").decimalValue();
      BigDecimal k = value.divide(m, 0, RoundingMode.CEILING);
      BigDecimal candidate = k.multiply(m);
      if (hi != null && candidate.compareTo(hi) > 0) {
        candidate = value.divide(m, 0, RoundingMode.FLOOR).multiply(m);
      }
      value = candidate;
    }
    if (integer || value.stripTrailingZeros().scale() <= 0) {
      return NODES.numberNode(value.setScale(0, RoundingMode.HALF_UP).longValue());
    }
    return NODES.numberNode(value.stripTrailingZeros());
  }

  private static BigDecimal mid(BigDecimal lo, BigDecimal hi) {
    return lo.add(hi).divide(BigDecimal.valueOf(2));
  }

  private static String type(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      return type.asText();
    }
    if (type != null && type.isArray() && !type.isEmpty()) {
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
      }
      return "null";
    }
    if (schema.has("properties") || schema.has("required") || schema.has("additionalProperties")) {
      return "object";
    }
    if (schema.has("items") || schema.has("prefixItems") || schema.has("minItems")) {
      return "array";
    }
    if (schema.has("minimum") || schema.has("maximum") || schema.has("multipleOf")) {
      return "number";
    }
    return "string";
  }

  private JsonNode resolve(String ref) {
    if ("#".equals(ref)) {
      return root;
    }
    if (!ref.startsWith("#/")) {
      return null;
    }
    JsonNode target = root.at(ref.substring(1));
    return target.isMissingNode() ? null : target;
  }

  private JsonNode minimal(JsonNode schema) {
    if (schema.has("$ref") && resolve(schema.get("$ref").asText()) instanceof JsonNode target) {
      schema = target;
    }
    String type = type(schema);
    JsonNode types = schema.get("type");
    if (types != null && types.isArray()) {
      for (JsonNode t : types) {
        if ("null".equals(t.asText())) {
          return NODES.nullNode();
        }
      }
    }
    return switch (type) {
      case "object" -> NODES.objectNode();
      case "array" -> NODES.arrayNode();
      default -> NODES.nullNode();
    };
  }

  /** A branch of anyOf/oneOf keeps the keywords that sit beside the combinator. */
  private static JsonNode mergeSiblings(JsonNode schema, JsonNode branch, String combinator) {
    ObjectNode siblings = without(schema, combinator);
    return siblings.isEmpty() ? branch : merge(siblings, branch);
  }

  private static ObjectNode without(JsonNode schema, String key) {
    ObjectNode copy = schema.deepCopy();
    copy.remove(key);
    return copy;
  }

  private static ObjectNode merge(ObjectNode into, JsonNode part) {
    if (part == null || !part.isObject()) {
      return into;
    }
    for (Map.Entry<String, JsonNode> e : part.properties()) {
      JsonNode existing = into.get(e.getKey());
      if ("properties".equals(e.getKey())
          && existing instanceof ObjectNode props
          && e.getValue() instanceof ObjectNode more) {
        props.setAll(more.deepCopy());
      } else if ("required".equals(e.getKey())
          && existing instanceof ArrayNode req
          && e.getValue() instanceof ArrayNode more) {
        req.addAll(more.deepCopy());
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return into;
  }

  private static JsonNode text(String name, int index) {
    return NODES.textNode(index == 0 ? name : name + " " + (index + 1));
  }

  private static String singular(String name) {
    return name.length() > 3 && name.endsWith("s") && !name.endsWith("ss")
        ? name.substring(0, name.length() - 1)
        : name;
  }

  private static String slug(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(Character.isLetterOrDigit(c) && c < 0x80 ? Character.toLowerCase(c) : '-');
    }
    return out.toString();
  }
}
