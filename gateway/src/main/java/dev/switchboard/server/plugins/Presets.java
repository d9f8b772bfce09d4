package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.storage.Preset;
import dev.switchboard.server.storage.PresetStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Presets (reference §14.6, checklist 71): saved request fields applied with {@code
 * "preset":"<slug>"}, {@code "model":"@preset/<slug>"} or {@code "model":"<model>@preset/<slug>"}.
 * The newest version of the preset gives its fields as defaults; the request's own fields win,
 * tools are merged by function name (the request's win), and the preset's {@code system_prompt}
 * goes first in the conversation. The merged body is decoded again by the inbound dialect, so a
 * preset's fields are checked exactly as a request's are. The generation record keeps the applied
 * {@code <slug>@<version>}.
 */
public final class Presets {

  /** What a preset may hold: request fields, and a system prompt. */
  public static final Set<String> FIELDS =
      Set.of(
          "model",
          "models",
          "provider",
          "plugins",
          "transforms",
          "system_prompt",
          "max_tokens",
          "max_completion_tokens",
          "temperature",
          "top_p",
          "top_k",
          "frequency_penalty",
          "presence_penalty",
          "repetition_penalty",
          "min_p",
          "top_a",
          "seed",
          "stop",
          "logit_bias",
          "reasoning",
          "reasoning_effort",
          "include_reasoning",
          "response_format",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "verbosity",
          "service_tier");

  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final String MARK = "@preset/";

  private final Supplier<PresetStore> store;
  private final String defaultModel;

  Presets(Supplier<PresetStore> store, String defaultModel) {
    this.store = store;
    this.defaultModel = defaultModel;
  }

  /** A 400 unless {@code slug} is a preset slug: lower-case letters, digits, '.', '_', '-'. */
  public static String checkSlug(String slug) {
    if (slug == null || !SLUG.matcher(slug).matches()) {
      throw GatewayException.invalid(
          "a preset slug is 1 to 64 lower-case letters, digits, '.', '_' or '-', was \""
              + slug
              + "\"");
    }
    return slug;
  }

  /**
   * Checks a preset's fields as a request would be checked (400 naming the field) and returns them.
   */
  public static ObjectNode checkConfig(JsonNode config) {
    if (config == null || !config.isObject()) {
      throw GatewayException.invalid("\"config\" must be an object of request fields");
    }
    for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!FIELDS.contains(key)) {
        throw GatewayException.invalid(
            "\"config."
                + key
                + "\" is not a preset field (fields: "
                + String.join(", ", sorted())
                + ")");
      }
    }
    JsonNode sp = config.get("system_prompt");
    if (sp != null && !sp.isNull() && !sp.isTextual()) {
      throw GatewayException.invalid("\"config.system_prompt\" must be a string");
    }
    ObjectNode probe = ((ObjectNode) config).deepCopy();
    probe.remove("system_prompt");
    if (!probe.has("model") && !probe.has("models")) {
      probe.put("model", "preset/check");
    }
    probe.putArray("messages").addObject().put("role", "user").put("content", "check");
    try {
      OpenAiChatCodec.toCanonical(ApiJson.bytes(probe));
    } catch (GatewayException e) {
      throw GatewayException.invalid("preset config: " + e.error().message());
    }
    return (ObjectNode) config;
  }

  private static java.util.List<String> sorted() {
    return FIELDS.stream().sorted().toList();
  }

  /**
   * Before admission: the request with its preset applied, or unchanged when it names none. An
   * unknown preset is a 404 naming it.
   */
  CompletionStage<LlmRequest> apply(Exchange ex, LlmRequest request) {
    try {
      return CompletableFuture.completedFuture(applyNow(ex, request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private LlmRequest applyNow(Exchange ex, LlmRequest request) {
    String field = request.directives().preset();
    String model = request.model();
    String fromModel = null;
    String baseModel = model;
    if (model != null) {
      int at = model.indexOf(MARK);
      if (at >= 0) {
        fromModel = model.substring(at + MARK.length());
        baseModel = at == 0 ? null : model.substring(0, at);
      }
    }
    if (field != null && fromModel != null && !field.equals(fromModel)) {
      throw GatewayException.invalid(
          "\"preset\" (\""
              + field
              + "\") and \"model\" (\""
              + model
              + "\") name different presets");
    }
    String slug = field != null ? field : fromModel;
    if (slug == null) {
      return request;
    }
    Preset preset =
        store
            .get()
            .latest(slug)
            .orElseThrow(
                () ->
                    new GatewayException(
                        GatewayError.of(
                                FailureClass.NOT_FOUND, 404, "Preset \"" + slug + "\" not found")
                            .withMetadata("error_type", "not_found")));
    ObjectNode body;
    try {
      JsonNode tree = ApiJson.tree(ex.requestBody());
      body = (ObjectNode) tree;
    } catch (IOException | ClassCastException e) {
      throw GatewayException.invalid("Request body must be a JSON object");
    }
    ObjectNode merged = merge(preset.config(), body, baseModel);
    ex.presetId(preset.id());
    return ex.dialect().decode(ApiJson.bytes(merged), ex::header, defaultModel);
  }

  /** The request's body over the preset's fields. */
  static ObjectNode merge(JsonNode config, ObjectNode request, String baseModel) {
    ObjectNode out = ApiJson.object();
    config.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue().deepCopy()));
    JsonNode systemPrompt = out.remove("system_prompt");
    JsonNode presetTools = out.get("tools");
    request.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
    out.remove("preset");
    if (baseModel != null) {
      out.put("model", baseModel);
    } else if (request.has("model")) {
      // "@preset/<slug>": the preset's model (or models), none of the request's.
      out.remove("model");
      if (config.has("model")) {
        out.set("model", config.get("model"));
      }
    }
    if (presetTools != null && presetTools.isArray() && request.has("tools")) {
      Map<String, JsonNode> byName = new LinkedHashMap<>();
      for (JsonNode t : presetTools) {
        byName.put(t.path("function").path("name").asText(), t);
      }
      for (JsonNode t : request.get("tools")) {
        byName.put(t.path("function").path("name").asText(), t);
      }
      ArrayNode tools = ApiJson.mapper().createArrayNode();
      byName.values().forEach(tools::add);
      out.set("tools", tools);
    }
    if (systemPrompt != null && systemPrompt.isTextual()) {
      ArrayNode messages = ApiJson.mapper().createArrayNode();
      messages.addObject().put("role", "system").put("content", systemPrompt.textValue());
      JsonNode given = out.get("messages");
      if (given != null && given.isArray()) {
        given.forEach(messages::add);
      } else if (out.has("prompt")) {
        messages.addObject().put("role", "user").set("content", out.remove("prompt"));
      }
      out.set("messages", messages);
    }
    return out;
  }
}
