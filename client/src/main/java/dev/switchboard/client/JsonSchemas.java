package dev.switchboard.client;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * JSON Schemas derived from Java records, for structured outputs and tool parameters.
 *
 * <p>A record becomes {@code {"type":"object","properties":{...},"required":[every
 * component],"additionalProperties":false}}, which is what strict mode asks for. Components map as
 * follows: strings, {@code char}, enums (as {@code enum}), {@code UUID} and {@code URI} (with a
 * {@code format}) are strings; integral types and {@code BigInteger} are integers; other numbers
 * are numbers; booleans; arrays, lists and sets are arrays; {@code Map<String, V>} is an object of
 * {@code V}; nested records nest; {@code Optional<T>} is {@code T} or null; {@code JsonNode} and
 * {@code Object} accept anything. Other types (java.time, plain classes) are refused, since the one
 * shared mapper could not read them back. {@code @JsonPropertyDescription} on a component and
 * {@code @JsonClassDescription} on a record become {@code description}s;
 * {@code @JsonProperty("name")} renames, as Jackson does when it parses the answer back. Recursive
 * records are refused.
 */
public final class JsonSchemas {

  private JsonSchemas() {}

  /** The schema of {@code type}, which must be a record. */
  public static ObjectNode of(Class<?> type) {
    Checks.requireArgument(
        type.isRecord(), "%s is not a record: structured outputs need a record", type.getName());
    return record(type, new HashSet<>());
  }

  private static ObjectNode record(Class<?> type, Set<Class<?>> visiting) {
    Checks.requireArgument(
        visiting.add(type),
        "%s refers to itself: recursive records are not supported",
        type.getName());
    ObjectNode schema = ApiJson.object().put("type", "object");
    JsonClassDescription classDescription = type.getAnnotation(JsonClassDescription.class);
    if (classDescription != null) {
      schema.put("description", classDescription.value());
    }
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = schema.putArray("required");
    for (RecordComponent c : type.getRecordComponents()) {
      Method accessor = c.getAccessor();
      JsonProperty renamed = accessor.getAnnotation(JsonProperty.class);
      String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName();
      ObjectNode property = schema(c.getGenericType(), visiting);
      JsonPropertyDescription description = accessor.getAnnotation(JsonPropertyDescription.class);
      if (description != null) {
        property.put("description", description.value());
      }
      properties.set(name, property);
      required.add(name);
    }
    schema.put("additionalProperties", false);
    visiting.remove(type);
    return schema;
  }

  private static ObjectNode schema(Type type, Set<Class<?>> visiting) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Optional.class.equals(raw)) {
        ObjectNode any = ApiJson.object();
        ArrayNode branches = any.putArray("anyOf");
        branches.add(schema(args[0], visiting));
        branches.add(ApiJson.object().put("type", "null"));
        return any;
      }
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode array = ApiJson.object().put("type", "array");
        array.set("items", schema(args[0], visiting));
        if (Set.class.isAssignableFrom(raw)) {
          array.put("uniqueItems", true);
        }
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode object = ApiJson.object().put("type", "object");
        object.set("additionalProperties", schema(args[1], visiting));
        return object;
      }
      return schema(raw, visiting);
    }
    if (type instanceof GenericArrayType g) {
      ObjectNode array = ApiJson.object().put("type", "array");
      array.set("items", schema(g.getGenericComponentType(), visiting));
      return array;
    }
    if (type instanceof WildcardType w) {
      return schema(w.getUpperBounds()[0], visiting);
    }
    if (!(type instanceof Class<?> c)) {
      return ApiJson.object();
    }
    if (c.isRecord()) {
      return record(c, visiting);
    }
    if (c.isEnum()) {
      ObjectNode e = ApiJson.object().put("type", "string");
      ArrayNode values = e.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
      return e;
    }
    if (c.isArray()) {
      ObjectNode array = ApiJson.object().put("type", "array");
      array.set("items", schema(c.getComponentType(), visiting));
      return array;
    }
    if (Collection.class.isAssignableFrom(c)) {
      return ApiJson.object().put("type", "array");
    }
    if (Map.class.isAssignableFrom(c) || JsonNode.class.isAssignableFrom(c)) {
      return c == Map.class ? ApiJson.object().put("type", "object") : ApiJson.object();
    }
    return scalar(c);
  }

  private static ObjectNode scalar(Class<?> c) {
    if (c == String.class
        || c == char.class
        || c == Character.class
        || CharSequence.class.isAssignableFrom(c)) {
      return ApiJson.object().put("type", "string");
    }
    if (c == boolean.class || c == Boolean.class) {
      return ApiJson.object().put("type", "boolean");
    }
    if (c == int.class
        || c == long.class
        || c == short.class
        || c == byte.class
        || c == Integer.class
        || c == Long.class
        || c == Short.class
        || c == Byte.class
        || c == BigInteger.class) {
      return ApiJson.object().put("type", "integer");
    }
    if (c == double.class
        || c == float.class
        || c == Double.class
        || c == Float.class
        || c == BigDecimal.class
        || Number.class.isAssignableFrom(c)) {
      return ApiJson.object().put("type", "number");
    }
    if (c == UUID.class) {
      return ApiJson.object().put("type", "string").put("format", "uuid");
    }
    if (c == URI.class || c == URL.class) {
      return ApiJson.object().put("type", "string").put("format", "uri");
    }
    if (c == Object.class) {
      return ApiJson.object();
    }
    throw new IllegalArgumentException(
        "cannot derive a JSON schema for "
            + c.getName()
            + ": use strings, numbers, booleans, enums, records, lists, maps or Optional");
  }
}
