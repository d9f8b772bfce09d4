package dev.switchboard.api.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one {@link ObjectMapper} of the project. Every module that reads or writes JSON goes through
 * here, so wire behaviour (unknown fields ignored, big decimals kept exact, no scientific notation)
 * is decided once. {@code Optional<T>} reads from a value or null (empty) and writes as the value
 * or null, so the SDK's records with optional components round-trip.
 */
public final class ApiJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .addModule(new Jdk8Module())
          .build();

  /**
   * The JSON name of the {@code extra} record component that collects unknown fields with
   * {@code @JsonAnySetter}. Jackson otherwise treats the component as a property named {@code
   * extra}, so a client field called {@code extra} would be bound to the map itself (and fail or be
   * flattened). No client can send this name.
   */
  public static final String EXTRA = "\u0000extra";

  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private ApiJson() {}

  /**
   * Normalizes an {@code extra} map of unknown fields for a record's compact constructor: empty
   * maps become the shared {@link Map#of()} (no allocation per chunk), others an unmodifiable copy
   * that keeps the order.
   */
  public static Map<String, JsonNode> extra(Map<String, JsonNode> fields) {
    if (fields == null || fields.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The shared mapper. Configured once; never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A cached reader for {@code type}. */
  public static ObjectReader reader(Class<?> type) {
    return MAPPER.readerFor(type);
  }

  /** A cached writer for {@code type}. */
  public static ObjectWriter writer(Class<?> type) {
    return MAPPER.writerFor(type);
  }

  public static JsonNodeFactory nodes() {
    return MAPPER.getNodeFactory();
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  public static <T> T read(String json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  public static JsonNode tree(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  public static JsonNode tree(String json) throws IOException {
    return MAPPER.readTree(json);
  }

  public static <T> T convert(Object value, Class<T> type) {
    return MAPPER.convertValue(value, type);
  }

  public static JsonNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String string(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String pretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
