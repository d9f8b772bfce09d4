package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.Directives;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.core.model.Sampling;
import dev.switchboard.core.model.ToolSpec;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.storage.Preset;
import dev.switchboard.server.storage.PresetStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 * goes first in the conversation. The merge is of canonical requests (the preset's fields read as a
 * chat request's, checked when it is saved; the request's by its own inbound dialect), so a preset
 * applies alike on chat completions, {@code /messages}, {@code /responses} and {@code
 * /completions}. The generation record keeps the applied {@code <slug>@<version>}.
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
    boolean presetModel = model == null || model.startsWith(MARK);
    LlmRequest merged = merge(defaults(preset.config()), request, baseModel, presetModel);
    if (merged.model() == null || merged.model().startsWith(MARK)) {
      if (defaultModel == null) {
        throw GatewayException.invalid(
            "\"model\" is required: preset \"" + slug + "\" names no model or models");
      }
      merged = merged.withModels(defaultModel, List.of());
    }
    ex.presetId(preset.id());
    return merged;
  }

  /** A preset's fields (all but its system prompt) read as a chat request's would be. */
  static LlmRequest defaults(JsonNode config) {
    ObjectNode body = ((ObjectNode) config).deepCopy();
    JsonNode systemPrompt = body.remove("system_prompt");
    if (!body.has("model") && !body.has("models")) {
      body.put("model", MARK);
    }
    ArrayNode messages = body.putArray("messages");
    if (systemPrompt != null && systemPrompt.isTextual()) {
      messages.addObject().put("role", "system").put("content", systemPrompt.textValue());
    }
    messages.addObject().put("role", "user").put("content", "preset");
    LlmRequest out = OpenAiChatCodec.toCanonical(ApiJson.bytes(body));
    // The placeholder user turn goes; the system prompt, if any, stays.
    return out.withMessages(out.messages().subList(0, out.messages().size() - 1));
  }

  /**
   * {@code request} (decoded by its own inbound dialect, whatever API it came in) over the preset's
   * {@code defaults}: each field the request set wins, tools are merged by name (the request's
   * win), the preset's system prompt goes first. The models are the preset's when the request's
   * model is {@code @preset/<slug>} or absent ({@code presetModel}), {@code baseModel} when it is
   * {@code <model>@preset/<slug>}, else the request's.
   */
  static LlmRequest merge(
      LlmRequest defaults, LlmRequest request, String baseModel, boolean presetModel) {
    String model = request.model();
    List<String> fallbacks = request.fallbackModels();
    if (baseModel != null) {
      model = baseModel;
    } else if (presetModel) {
      model = defaults.model();
      fallbacks = defaults.fallbackModels();
    }
    List<Message> messages = new ArrayList<>(defaults.messages());
    messages.addAll(request.messages());
    Map<String, ToolSpec> tools = new LinkedHashMap<>();
    defaults.tools().forEach(t -> tools.put(t.name(), t));
    request.tools().forEach(t -> tools.put(t.name(), t));
    Map<String, JsonNode> vendor = new LinkedHashMap<>(defaults.vendorFields());
    vendor.putAll(request.vendorFields());
    Directives d = request.directives();
    if (d.transforms() == null && defaults.directives().transforms() != null) {
      d =
          new Directives(
              defaults.directives().transforms(),
              d.echoUpstreamBody(),
              d.preset(),
              d.compressUpToContext());
    }
    return new LlmRequest(
        model,
        fallbacks,
        messages,
        new ArrayList<>(tools.values()),
        or(request.toolChoice(), defaults.toolChoice()),
        or(request.parallelToolCalls(), defaults.parallelToolCalls()),
        sampling(request.sampling(), defaults.sampling()),
        or(request.responseFormat(), defaults.responseFormat()),
        or(request.reasoning(), defaults.reasoning()),
        request.stream(),
        request.user(),
        request.sessionId(),
        request.metadata(),
        request.provider().equals(ProviderPreferences.NONE)
            ? defaults.provider()
            : request.provider(),
        or(request.plugins(), defaults.plugins()),
        vendor,
        d,
        request.embedding());
  }

  private static Sampling sampling(Sampling r, Sampling p) {
    return new Sampling(
        or(r.maxTokens(), p.maxTokens()),
        or(r.temperature(), p.temperature()),
        or(r.topP(), p.topP()),
        or(r.topK(), p.topK()),
        or(r.frequencyPenalty(), p.frequencyPenalty()),
        or(r.presencePenalty(), p.presencePenalty()),
        or(r.repetitionPenalty(), p.repetitionPenalty()),
        or(r.minP(), p.minP()),
        or(r.topA(), p.topA()),
        or(r.seed(), p.seed()),
        or(r.stop(), p.stop()),
        or(r.logitBias(), p.logitBias()),
        or(r.logprobs(), p.logprobs()),
        or(r.topLogprobs(), p.topLogprobs()));
  }

  private static <T> T or(T given, T fallback) {
    return given != null ? given : fallback;
  }
}
