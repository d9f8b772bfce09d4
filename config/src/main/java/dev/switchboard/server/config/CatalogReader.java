package dev.switchboard.server.config;

import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.catalog.Pricing;
import dev.switchboard.server.catalog.ReasoningInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads catalog models (the shipped catalog and the config file's additions) from a config tree.
 */
public final class CatalogReader {

  private static final Set<String> MODEL_KEYS =
      Set.of(
          "id",
          "canonical-slug",
          "name",
          "created",
          "description",
          "context-length",
          "input-modalities",
          "output-modalities",
          "tokenizer",
          "instruct-type",
          "family",
          "reasoning",
          "endpoints");
  private static final Set<String> REASONING_KEYS =
      Set.of("mandatory", "supported-efforts", "default-effort", "default-enabled");
  private static final Set<String> ENDPOINT_KEYS =
      Set.of(
          "provider",
          "upstream-model",
          "tag",
          "pricing",
          "context-length",
          "max-completion-tokens",
          "supported-parameters",
          "quantization",
          "may-train",
          "retains-data",
          "supports-implicit-caching",
          "native-web-search",
          "profile");
  private static final Set<String> PRICING_KEYS =
      Set.of(
          "prompt",
          "completion",
          "request",
          "image",
          "web-search",
          "input-cache-read",
          "input-cache-write",
          "internal-reasoning");

  /** The parameters an OpenAI-dialect endpoint takes unless the catalog says otherwise. */
  /** The supported parameter of an endpoint with its provider's own web search. */
  public static final String NATIVE_WEB_SEARCH = "web_search_options";

  static final List<String> DEFAULT_PARAMETERS =
      List.of(
          "max_tokens",
          "temperature",
          "top_p",
          "stop",
          "frequency_penalty",
          "presence_penalty",
          "seed",
          "response_format",
          "structured_outputs",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "logit_bias",
          "logprobs",
          "top_logprobs");

  private CatalogReader() {}

  /** The parameters an OpenAI-dialect endpoint takes unless the catalog says otherwise. */
  public static List<String> defaultParameters() {
    return DEFAULT_PARAMETERS;
  }

  public static List<ModelEntry> models(ConfigNode parent) {
    List<ModelEntry> out = new ArrayList<>();
    for (ConfigNode m : parent.list("models")) {
      out.add(model(m));
    }
    return out;
  }

  static ModelEntry model(ConfigNode m) {
    m.allowOnly(MODEL_KEYS);
    String id = m.requiredString("id");
    if (!id.matches("[A-Za-z0-9._~-]+/[A-Za-z0-9._:-]+")) {
      throw ConfigNode.fail(m.path() + ".id", "must look like author/model, was \"" + id + "\"");
    }
    int context = m.integer("context-length", 0, 1, Integer.MAX_VALUE);
    if (context == 0) {
      throw ConfigNode.fail(m.path() + ".context-length", "is required");
    }
    List<EndpointEntry> endpoints = new ArrayList<>();
    for (ConfigNode e : m.list("endpoints")) {
      endpoints.add(endpoint(e, id, context));
    }
    if (endpoints.isEmpty()) {
      throw ConfigNode.fail(m.path() + ".endpoints", "must list at least one provider endpoint");
    }
    return new ModelEntry(
        id,
        m.string("canonical-slug", id),
        m.string("name", id),
        m.number("created", 1_764_547_200L, 0, Long.MAX_VALUE),
        m.string("description", ""),
        context,
        m.strings("input-modalities"),
        m.strings("output-modalities"),
        m.string("tokenizer", "Other"),
        m.string("instruct-type", null),
        m.string("family", null),
        endpoints,
        reasoning(m.child("reasoning")));
  }

  private static ReasoningInfo reasoning(ConfigNode r) {
    if (!r.present()) {
      return null;
    }
    r.allowOnly(REASONING_KEYS);
    List<String> efforts = r.strings("supported-efforts");
    if (efforts != null) {
      for (String e : efforts) {
        if (!ReasoningInfo.EFFORTS.contains(e) && !e.equals("none")) {
          throw ConfigNode.fail(
              r.path() + ".supported-efforts",
              "\"" + e + "\" is not one of none, " + String.join(", ", ReasoningInfo.EFFORTS));
        }
      }
    }
    return new ReasoningInfo(
        r.bool("mandatory", false),
        efforts,
        r.string("default-effort", null),
        r.bool("default-enabled", true));
  }

  private static EndpointEntry endpoint(ConfigNode e, String modelId, int modelContext) {
    e.allowOnly(ENDPOINT_KEYS);
    ConfigNode p = e.child("pricing").allowOnly(PRICING_KEYS);
    if (!p.present() || !p.has("prompt") || !p.has("completion")) {
      throw ConfigNode.fail(
          e.path() + ".pricing", "needs prompt and completion prices (USD per token, as strings)");
    }
    Pricing pricing =
        new Pricing(
            p.decimal("prompt"),
            p.decimal("completion"),
            p.decimal("request"),
            p.decimal("image"),
            p.decimal("web-search"),
            p.decimal("input-cache-read"),
            p.decimal("input-cache-write"),
            p.decimal("internal-reasoning"));
    List<String> params = e.strings("supported-parameters");
    if (e.bool("native-web-search", false)) {
      // The provider's own web search (OpenAI's web_search_options, Anthropic's web_search tool):
      // said the way OpenRouter's catalog says it, as a supported parameter.
      params = new java.util.ArrayList<>(params == null ? DEFAULT_PARAMETERS : params);
      params.add(NATIVE_WEB_SEARCH);
    }
    return new EndpointEntry(
        e.requiredString("provider"),
        e.string("upstream-model", modelId),
        e.string("tag", null),
        pricing,
        e.integer("context-length", modelContext, 1, Integer.MAX_VALUE),
        e.optionalInteger("max-completion-tokens", 1, Integer.MAX_VALUE),
        params == null ? DEFAULT_PARAMETERS : params,
        e.string("quantization", null),
        e.bool("may-train", false),
        e.bool("retains-data", true),
        e.bool("supports-implicit-caching", false),
        e.string("profile", null));
  }
}
