package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.provider.Dialect;
import dev.switchboard.core.provider.DialectProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenAI-compatible vendor profiles, as data: {@code profiles.json} next to this class, read
 * once through {@link ApiJson}. A profile names only what differs from OpenAI's defaults ({@code
 * /chat/completions}, {@code Authorization: Bearer}, {@code max_tokens}, stream usage on, tool
 * indices from 0, no error events in streams).
 */
public final class OpenAiProfiles {

  /** The dialect every profile here belongs to. */
  public static final String DIALECT = "openai";

  private static final String RESOURCE = "profiles.json";
  private static final Map<String, DialectProfile> PROFILES = load();

  private OpenAiProfiles() {}

  /** The profile {@code id}; throws {@link IllegalArgumentException} naming the known ids. */
  public static DialectProfile profile(String id) {
    DialectProfile profile = PROFILES.get(id);
    if (profile == null) {
      throw new IllegalArgumentException(
          "Unknown OpenAI-compatible profile '" + id + "'; known: " + PROFILES.keySet());
    }
    return profile;
  }

  /** The profile {@code id}, if there is one. */
  public static Optional<DialectProfile> find(String id) {
    return Optional.ofNullable(PROFILES.get(id));
  }

  /**
   * This module's dialect as the gateway registers it: the adapter, these profiles, and the model
   * authors whose own API it is ("openai"), reached in it in demo mode.
   */
  public static Dialect dialect() {
    return new Dialect(new OpenAiAdapter(), all(), Set.of("openai"));
  }

  /** Every profile by id, in file order. */
  public static Map<String, DialectProfile> all() {
    return PROFILES;
  }

  private static Map<String, DialectProfile> load() {
    JsonNode root;
    try (InputStream in = OpenAiProfiles.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + RESOURCE);
      }
      root = ApiJson.tree(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
    Map<String, DialectProfile> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      out.put(entry.getKey(), parse(entry.getKey(), entry.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  static DialectProfile parse(String id, JsonNode node) {
    return new DialectProfile(
        id,
        DIALECT,
        text(node, "chatPath", "/chat/completions"),
        text(node, "authHeader", "Authorization"),
        text(node, "authScheme", "Bearer "),
        text(node, "maxTokensField", "max_tokens"),
        node.path("streamUsage").asBoolean(true),
        node.path("toolIndexBase").asInt(0),
        node.path("errorEventsInStream").asBoolean(false),
        strings(node.path("droppedParams"), new LinkedHashSet<>()),
        headers(node.path("extraHeaders")),
        strings(node.path("notes"), new ArrayList<>()),
        node.path("baseUrl").isTextual() ? stripSlash(node.get("baseUrl").textValue()) : null,
        node.path("openRouterExtensions").asBoolean(false));
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : fallback;
  }

  private static <C extends java.util.Collection<String>> C strings(JsonNode array, C out) {
    for (JsonNode item : array) {
      out.add(item.asText());
    }
    return out;
  }

  private static Map<String, String> headers(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> header : object.properties()) {
      out.put(header.getKey(), header.getValue().asText());
    }
    return out;
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
