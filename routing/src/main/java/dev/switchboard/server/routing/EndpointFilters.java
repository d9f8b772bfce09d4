package dev.switchboard.server.routing;

import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.EmbeddingRequest;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.core.model.Sampling;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.metering.UsageEstimator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hard filters of routing, each a small rule that says why an endpoint cannot take a request
 * ({@code null} when it can). Order matters only for the reason reported when nothing is left.
 */
final class EndpointFilters {

  /**
   * The filters that can leave a request without endpoints, by the name {@code
   * metadata.excluded_by} gives them (OpenRouter's where it has one). Declared in the order in
   * which {@link NoRoute} prefers them for its message.
   */
  enum Filter {
    OUTPUT_MODALITIES("output_modalities"),
    TOOLS("tools"),
    INPUT_MODALITIES("input_modalities"),
    DATA_POLICY_ZDR("data_policy:zdr"),
    DATA_POLICY_TRAINING("data_policy:training"),
    MAX_PRICE("max_price"),
    REQUIRE_PARAMETERS("require_parameters"),
    CONTEXT_LENGTH("context_length"),
    QUANTIZATION("quantization"),
    ALLOWED_PROVIDERS("allowed_providers"),
    FREE("free"),
    SERVICE_TIER("service_tier"),
    PROVIDER_NOT_ENABLED("provider_not_enabled");

    final String excludedBy;

    Filter(String excludedBy) {
      this.excludedBy = excludedBy;
    }
  }

  /** Why an endpoint is out: the filter, and the detail the trace shows. */
  record Exclusion(Filter filter, String reason) {}

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private EndpointFilters() {}

  /** Why {@code endpoint} (of {@code model}, served by a provider named {@code names}) is out. */
  static Exclusion exclude(
      LlmRequest request,
      ProviderPreferences prefs,
      ModelRef ref,
      EndpointEntry endpoint,
      List<String> names,
      RequestNeeds needs) {
    if (ref.has(ModelRef.Variant.FREE) && !endpoint.pricing().isFree()) {
      return new Exclusion(Filter.FREE, "not free (:free)");
    }
    if (prefs.only() != null && !matches(prefs.only(), endpoint, names)) {
      return new Exclusion(Filter.ALLOWED_PROVIDERS, "not in provider.only");
    }
    if (prefs.ignore() != null && matches(prefs.ignore(), endpoint, names)) {
      return new Exclusion(Filter.ALLOWED_PROVIDERS, "in provider.ignore");
    }
    if (prefs.dataCollectionDeny() && endpoint.mayTrain()) {
      return new Exclusion(Filter.DATA_POLICY_TRAINING, "data_collection: deny");
    }
    if (prefs.zdr() && endpoint.retainsData()) {
      return new Exclusion(Filter.DATA_POLICY_ZDR, "zdr");
    }
    if (prefs.quantizations() != null) {
      String q = endpoint.quantization() == null ? "unknown" : endpoint.quantization();
      if (!prefs.quantizations().contains(q.toLowerCase(Locale.ROOT))) {
        return new Exclusion(Filter.QUANTIZATION, "quantization " + q + " not allowed");
      }
    }
    String price = maxPrice(prefs, endpoint);
    if (price != null) {
      return new Exclusion(Filter.MAX_PRICE, price);
    }
    if (prefs.requireParameters()) {
      for (String p : needs.parameters()) {
        if (!endpoint.supports(p)) {
          return new Exclusion(Filter.REQUIRE_PARAMETERS, "require_parameters: no " + p);
        }
      }
    }
    if (needs.tools() && !endpoint.supports("tools")) {
      return new Exclusion(Filter.TOOLS, "no tool use");
    }
    Integer maxTokens = request.sampling().maxTokens();
    if (maxTokens != null
        && endpoint.maxCompletionTokens() != null
        && maxTokens > endpoint.maxCompletionTokens()) {
      return new Exclusion(
          Filter.CONTEXT_LENGTH,
          "max_tokens " + maxTokens + " above its limit of " + endpoint.maxCompletionTokens());
    }
    // Context compression fits the prompt to endpoints up to its threshold, so they stay.
    if (needs.promptTokens() > endpoint.contextLength()
        && endpoint.contextLength() > request.directives().compressUpToContext()) {
      return new Exclusion(
          Filter.CONTEXT_LENGTH,
          "prompt of about "
              + needs.promptTokens()
              + " tokens exceeds its context of "
              + endpoint.contextLength());
    }
    return null;
  }

  /** Why a whole model cannot take the request (input modalities), or null. */
  static Exclusion excludeModel(ModelEntry model, RequestNeeds needs) {
    // Embedding models answer /embeddings only, and only they do.
    boolean embedder = model.outputModalities().contains("embeddings");
    if (needs.embeddings() && !embedder) {
      return new Exclusion(Filter.OUTPUT_MODALITIES, "not an embedding model");
    }
    if (!needs.embeddings() && !model.outputModalities().contains("text")) {
      return new Exclusion(
          Filter.OUTPUT_MODALITIES,
          embedder ? "an embedding model (use /embeddings)" : "no text output");
    }
    for (String modality : needs.modalities()) {
      if (!model.inputModalities().contains(modality)) {
        return new Exclusion(Filter.INPUT_MODALITIES, "no " + modality + " input");
      }
    }
    return null;
  }

  private static String maxPrice(ProviderPreferences prefs, EndpointEntry e) {
    if (prefs.maxPrice().isEmpty()) {
      return null;
    }
    BigDecimal prompt = prefs.maxPrice().get("prompt");
    if (prompt != null && e.pricing().prompt().multiply(MILLION).compareTo(prompt) > 0) {
      return "prompt price above max_price";
    }
    BigDecimal completion = prefs.maxPrice().get("completion");
    if (completion != null
        && e.pricing().completion().multiply(MILLION).compareTo(completion) > 0) {
      return "completion price above max_price";
    }
    BigDecimal request = prefs.maxPrice().get("request");
    if (request != null
        && e.pricing().request() != null
        && e.pricing().request().compareTo(request) > 0) {
      return "request price above max_price";
    }
    BigDecimal image = prefs.maxPrice().get("image");
    if (image != null && e.pricing().image() != null && e.pricing().image().compareTo(image) > 0) {
      return "image price above max_price";
    }
    return null;
  }

  /**
   * Whether a provider list names this endpoint: its tag exactly, its provider slug (a base slug
   * matches every endpoint of the provider but tier endpoints such as {@code openai/priority}), or
   * its display name; case-insensitive.
   */
  static boolean matches(List<String> list, EndpointEntry e, List<String> names) {
    String tag = e.tag().toLowerCase(Locale.ROOT);
    boolean tier = tag.endsWith("/flex") || tag.endsWith("/priority");
    for (String item : list) {
      if (item.equals(tag)) {
        return true;
      }
      if (!tier && (item.equals(e.provider()) || tag.startsWith(item + "/"))) {
        return true;
      }
      for (String n : names) {
        if (!tier && item.equals(n.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }

  /** What a request needs from an endpoint, computed once per request. */
  record RequestNeeds(
      Set<String> parameters,
      boolean tools,
      boolean structured,
      long promptTokens,
      Set<String> modalities,
      boolean embeddings) {

    static RequestNeeds of(LlmRequest r) {
      Set<String> params = new LinkedHashSet<>();
      Sampling s = r.sampling();
      add(params, s.maxTokens(), "max_tokens");
      add(params, s.temperature(), "temperature");
      add(params, s.topP(), "top_p");
      add(params, s.topK(), "top_k");
      add(params, s.frequencyPenalty(), "frequency_penalty");
      add(params, s.presencePenalty(), "presence_penalty");
      add(params, s.repetitionPenalty(), "repetition_penalty");
      add(params, s.minP(), "min_p");
      add(params, s.topA(), "top_a");
      add(params, s.seed(), "seed");
      add(params, s.stop(), "stop");
      add(params, s.logitBias(), "logit_bias");
      add(params, s.logprobs(), "logprobs");
      add(params, s.topLogprobs(), "top_logprobs");
      boolean tools = !r.tools().isEmpty();
      if (tools) {
        params.add("tools");
      }
      if (r.toolChoice() != null) {
        params.add("tool_choice");
      }
      boolean structured = false;
      if (r.responseFormat() != null) {
        params.add("response_format");
        structured = "json_schema".equals(r.responseFormat().type());
        if (structured) {
          params.add("structured_outputs");
        }
      }
      if (r.reasoning() != null) {
        params.add("reasoning");
      }
      var verbosity = r.vendorFields().get("verbosity");
      if (verbosity != null && !verbosity.isNull()) {
        params.add("verbosity");
      }
      Set<String> modalities = new LinkedHashSet<>();
      for (Message m : r.messages()) {
        for (ContentPart p : m.content()) {
          switch (p) {
            case ContentPart.Image i -> modalities.add("image");
            case ContentPart.File f -> {} // PDFs work on any model (file parser)
            case ContentPart.Video v -> modalities.add("video");
            case ContentPart.Audio a -> modalities.add("audio");
            case ContentPart.Text t -> {}
            case ContentPart.Unknown u -> {}
          }
        }
      }
      return new RequestNeeds(
          Set.copyOf(params),
          tools,
          structured,
          contextTokens(r),
          Set.copyOf(modalities),
          r.embedding() != null);
    }

    /**
     * What must fit the context: the whole prompt, or for an embeddings request its longest input
     * (each input is embedded on its own).
     */
    private static long contextTokens(LlmRequest r) {
      if (r.embedding() == null) {
        return UsageEstimator.promptTokens(r);
      }
      long longest = 0;
      for (EmbeddingRequest.Input i : r.embedding().inputs()) {
        long tokens =
            switch (i) {
              case EmbeddingRequest.Input.Text t -> (t.text().length() + 3) / 4;
              case EmbeddingRequest.Input.Tokens t -> t.ids().size();
            };
        longest = Math.max(longest, tokens);
      }
      return longest;
    }

    private static void add(Set<String> params, Object value, String name) {
      if (value != null) {
        params.add(name);
      }
    }
  }

  static List<String> names(String slug, String displayName) {
    List<String> out = new ArrayList<>(2);
    out.add(slug);
    if (displayName != null) {
      out.add(displayName);
      out.add(displayName.toLowerCase(Locale.ROOT).replace(' ', '-'));
    }
    return out;
  }
}
