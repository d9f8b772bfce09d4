package dev.switchboard.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A read-only view of a YAML/JSON config tree that knows its key path, so every validation error
 * names the key and the rule ({@code server.port: must be between 0 and 65535, was 70000}).
 */
public final class ConfigNode {

  private final JsonNode node;
  private final String path;

  private ConfigNode(JsonNode node, String path) {
    this.node = node == null ? MissingNode.getInstance() : node;
    this.path = path;
  }

  public static ConfigNode root(JsonNode node) {
    return new ConfigNode(node, "");
  }

  public String path() {
    return path.isEmpty() ? "(root)" : path;
  }

  private String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean present() {
    return !node.isMissingNode() && !node.isNull();
  }

  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  public ConfigNode child(String key) {
    JsonNode v = node.get(key);
    if (v != null && !v.isNull() && !v.isObject()) {
      throw fail(at(key), "must be a mapping");
    }
    return new ConfigNode(v, at(key));
  }

  public String string(String key, String defaultValue) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isValueNode()) {
      throw fail(at(key), "must be a string");
    }
    return v.asText();
  }

  public String requiredString(String key) {
    String v = string(key, null);
    if (v == null || v.isBlank()) {
      throw fail(at(key), "is required and must not be empty");
    }
    return v;
  }

  public long number(String key, long defaultValue, long min, long max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    long value;
    if (v.canConvertToLong() && v.isIntegralNumber()) {
      value = v.asLong();
    } else if (v.isTextual()) {
      try {
        value = Long.parseLong(v.asText().trim());
      } catch (NumberFormatException e) {
        throw fail(at(key), "must be a whole number, was \"" + v.asText() + "\"");
      }
    } else {
      throw fail(at(key), "must be a whole number, was " + v);
    }
    if (value < min || value > max) {
      throw fail(at(key), "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public int integer(String key, int defaultValue, int min, int max) {
    return (int) number(key, defaultValue, min, max);
  }

  public Integer optionalInteger(String key, int min, int max) {
    return has(key) ? integer(key, 0, min, max) : null;
  }

  public boolean bool(String key, boolean defaultValue) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
      return Boolean.parseBoolean(v.asText());
    }
    throw fail(at(key), "must be true or false, was " + v);
  }

  /** A non-negative decimal given as a string ({@code "0.000003"}) or a number. */
  public BigDecimal decimal(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    BigDecimal value;
    try {
      value = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
    } catch (NumberFormatException e) {
      throw fail(at(key), "must be a decimal number, was \"" + v.asText() + "\"");
    }
    if (value.signum() < 0) {
      throw fail(at(key), "must not be negative, was " + value.toPlainString());
    }
    return value;
  }

  public List<String> strings(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw fail(at(key), "must be a list of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode item : v) {
      if (!item.isValueNode()) {
        throw fail(at(key), "must be a list of strings");
      }
      out.add(item.asText());
    }
    return out;
  }

  public List<ConfigNode> list(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw fail(at(key), "must be a list");
    }
    List<ConfigNode> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isObject()) {
        throw fail(at(key) + "[" + i + "]", "must be a mapping");
      }
      out.add(new ConfigNode(v.get(i), at(key) + "[" + i + "]"));
    }
    return out;
  }

  public Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    if (!present()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isObject() && !e.getValue().isNull()) {
        throw fail(at(e.getKey()), "must be a mapping");
      }
      out.put(e.getKey(), new ConfigNode(e.getValue(), at(e.getKey())));
    }
    return out;
  }

  /** Fails on any key not in {@code known}: a typo must not be silently ignored. */
  public ConfigNode allowOnly(Set<String> known) {
    if (!node.isObject()) {
      return this;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw fail(at(key), "is not a known key; known keys here are " + new TreeSet<>(known));
      }
    }
    return this;
  }

  public static ConfigException fail(String path, String rule) {
    return new ConfigException("config: " + path + ": " + rule);
  }
}
