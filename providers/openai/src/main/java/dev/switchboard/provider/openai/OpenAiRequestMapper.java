package dev.switchboard.provider.openai;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ReasoningConfig;
import dev.switchboard.core.model.ResponseFormat;
import dev.switchboard.core.model.Sampling;
import dev.switchboard.core.model.ToolChoice;
import dev.switchboard.core.model.ToolSpec;
import dev.switchboard.core.provider.DialectProfile;
import dev.switchboard.core.provider.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link LlmRequest} to an OpenAI chat-completions body, written in one pass with a streaming
 * generator. Only what the caller set is written (checklist 13); unknown client fields pass through
 * unchanged; OpenRouter's own fields never reach the upstream; the profile renames the output limit
 * and drops what the vendor rejects.
 */
final class OpenAiRequestMapper {

  /**
   * Request fields that belong to OpenRouter (routing, plugins, our metering) and are never sent to
   * an OpenAI-dialect upstream, even one that is OpenRouter itself: we route, not it. {@code n} is
   * here because OpenRouter answers with one choice whatever {@code n} says (checklist 16), so
   * asking an upstream for more would only be billed.
   */
  static final Set<String> OPENROUTER_ONLY =
      Set.of(
          "models",
          "provider",
          "plugins",
          "route",
          "transforms",
          "usage",
          "session_id",
          "debug",
          "reasoning",
          "include_reasoning",
          "preset",
          "trace",
          "max_tool_calls",
          "stop_server_tools_when",
          "stream_options",
          "n");

  /** OpenRouter extensions only an upstream OpenRouter understands. */
  static final Set<String> OPENROUTER_EXTENSIONS = Set.of("cache_control", "image_config");

  /** Fields this mapper writes itself; a vendor field of the same name never duplicates them. */
  private static final Set<String> WRITTEN =
      Set.of(
          "model",
          "messages",
          "stream",
          "stream_options",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "response_format",
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
          "logprobs",
          "top_logprobs",
          "user",
          "metadata",
          "reasoning_effort",
          "reasoning");

  private OpenAiRequestMapper() {}

  static byte[] body(LlmRequest request, Target target) {
    DialectProfile profile = target.profile();
    ByteArrayOutputStream out = new ByteArrayOutputStream(512 + 256 * request.messages().size());
    try (JsonGenerator g = ApiJson.mapper().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("model", target.upstreamModel());
      g.writeArrayFieldStart("messages");
      for (Message message : request.messages()) {
        OpenAiMessageWriter.write(g, message, profile.openRouterExtensions());
      }
      g.writeEndArray();
      if (request.stream()) {
        g.writeBooleanField("stream", true);
        if (profile.streamUsage() && !profile.drops("stream_options")) {
          g.writeObjectFieldStart("stream_options");
          g.writeBooleanField("include_usage", true);
          g.writeEndObject();
        }
      }
      writeTools(g, request, profile);
      writeSampling(g, request.sampling(), profile);
      writeResponseFormat(g, request.responseFormat(), profile);
      writeReasoning(
          g,
          request.reasoning(),
          request.sampling().maxTokens() != null
              ? request.sampling().maxTokens()
              : target.defaultMaxTokens(),
          profile);
      if (request.user() != null && !profile.drops("user")) {
        g.writeStringField("user", request.user());
      }
      if (request.metadata() != null && forwardsMetadata(request, profile)) {
        g.writeFieldName("metadata");
        g.writeTree(request.metadata());
      }
      writeVendorFields(g, request.vendorFields(), profile);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * {@code metadata} is kept by the gateway; OpenAI only accepts it together with {@code
   * store:true}, so it goes upstream only then, or to an upstream OpenRouter.
   */
  private static boolean forwardsMetadata(LlmRequest request, DialectProfile profile) {
    if (profile.drops("metadata")) {
      return false;
    }
    JsonNode store = request.vendorFields().get("store");
    return profile.openRouterExtensions() || (store != null && store.asBoolean(false));
  }

  private static void writeTools(JsonGenerator g, LlmRequest request, DialectProfile profile)
      throws IOException {
    List<ToolSpec> tools = request.tools();
    if (tools.isEmpty() || profile.drops("tools")) {
      return;
    }
    g.writeArrayFieldStart("tools");
    for (ToolSpec tool : tools) {
      g.writeStartObject();
      g.writeStringField("type", "function");
      g.writeObjectFieldStart("function");
      g.writeStringField("name", tool.name());
      if (tool.description() != null) {
        g.writeStringField("description", tool.description());
      }
      if (tool.parameters() != null) {
        g.writeFieldName("parameters");
        g.writeTree(tool.parameters());
      }
      if (tool.strict() != null) {
        g.writeBooleanField("strict", tool.strict());
      }
      g.writeEndObject();
      if (tool.cacheControl() != null && profile.openRouterExtensions()) {
        g.writeFieldName("cache_control");
        g.writeTree(tool.cacheControl());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    ToolChoice choice = request.toolChoice();
    if (choice != null && !profile.drops("tool_choice")) {
      switch (choice.mode()) {
        case AUTO -> g.writeStringField("tool_choice", "auto");
        case NONE -> g.writeStringField("tool_choice", "none");
        case REQUIRED -> g.writeStringField("tool_choice", "required");
        case FUNCTION -> {
          g.writeObjectFieldStart("tool_choice");
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", choice.functionName());
          g.writeEndObject();
          g.writeEndObject();
        }
      }
    }
    if (request.parallelToolCalls() != null && !profile.drops("parallel_tool_calls")) {
      g.writeBooleanField("parallel_tool_calls", request.parallelToolCalls());
    }
  }

  private static void writeSampling(JsonGenerator g, Sampling s, DialectProfile profile)
      throws IOException {
    if (s.maxTokens() != null && !profile.drops(profile.maxTokensField())) {
      g.writeNumberField(profile.maxTokensField(), s.maxTokens());
    }
    decimal(g, "temperature", s.temperature(), profile);
    decimal(g, "top_p", s.topP(), profile);
    if (s.topK() != null && !profile.drops("top_k")) {
      g.writeNumberField("top_k", s.topK());
    }
    decimal(g, "frequency_penalty", s.frequencyPenalty(), profile);
    decimal(g, "presence_penalty", s.presencePenalty(), profile);
    decimal(g, "repetition_penalty", s.repetitionPenalty(), profile);
    decimal(g, "min_p", s.minP(), profile);
    decimal(g, "top_a", s.topA(), profile);
    if (s.seed() != null && !profile.drops("seed")) {
      g.writeNumberField("seed", s.seed());
    }
    if (s.stop() != null && !profile.drops("stop")) {
      g.writeArrayFieldStart("stop");
      for (String stop : s.stop()) {
        g.writeString(stop);
      }
      g.writeEndArray();
    }
    if (s.logitBias() != null && !profile.drops("logit_bias")) {
      g.writeFieldName("logit_bias");
      g.writeTree(s.logitBias());
    }
    if (s.logprobs() != null && !profile.drops("logprobs")) {
      g.writeBooleanField("logprobs", s.logprobs());
    }
    if (s.topLogprobs() != null && !profile.drops("top_logprobs")) {
      g.writeNumberField("top_logprobs", s.topLogprobs());
    }
  }

  private static void decimal(JsonGenerator g, String field, BigDecimal value, DialectProfile p)
      throws IOException {
    if (value != null && !p.drops(field)) {
      g.writeNumberField(field, value);
    }
  }

  private static void writeResponseFormat(
      JsonGenerator g, ResponseFormat format, DialectProfile profile) throws IOException {
    if (format == null || profile.drops("response_format")) {
      return;
    }
    g.writeFieldName("response_format");
    if (format.raw() != null) {
      g.writeTree(format.raw());
      return;
    }
    g.writeStartObject();
    g.writeStringField("type", format.type());
    if ("json_schema".equals(format.type())) {
      g.writeObjectFieldStart("json_schema");
      if (format.name() != null) {
        g.writeStringField("name", format.name());
      }
      if (format.schema() != null) {
        g.writeFieldName("schema");
        g.writeTree(format.schema());
      }
      if (format.strict() != null) {
        g.writeBooleanField("strict", format.strict());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /**
   * OpenAI-likes take {@code reasoning_effort}; an upstream OpenRouter takes the whole {@code
   * reasoning} object. {@code exclude} is honoured by the gateway on the way back either way. A
   * token budget without an effort (Anthropic's {@code thinking.budget_tokens} on {@code
   * /messages}, {@code reasoning.max_tokens} on chat) becomes the effort its share of the output
   * limit stands for ({@link #effortOf}), as OpenRouter does for effort-only models.
   */
  private static void writeReasoning(
      JsonGenerator g, ReasoningConfig r, Integer maxTokens, DialectProfile profile)
      throws IOException {
    if (r == null) {
      return;
    }
    if (profile.openRouterExtensions()) {
      g.writeObjectFieldStart("reasoning");
      if (r.effort() != null) {
        g.writeStringField("effort", r.effort());
      }
      if (r.maxTokens() != null) {
        g.writeNumberField("max_tokens", r.maxTokens());
      }
      if (r.exclude()) {
        g.writeBooleanField("exclude", true);
      }
      if (r.enabled() != null) {
        g.writeBooleanField("enabled", r.enabled());
      }
      g.writeEndObject();
    } else if (!profile.drops("reasoning_effort")) {
      String effort = r.effort() != null ? r.effort() : effortOf(r, maxTokens);
      if (effort != null) {
        g.writeStringField("reasoning_effort", effort);
      }
    }
  }

  /**
   * The effort a budget stands for: at least 80 % of the output limit is high, at least 50 %
   * medium, less low (the inverse of the shares the Anthropic adapter turns efforts into);
   * reasoning merely enabled is medium. Null when reasoning is off or not asked for.
   */
  static String effortOf(ReasoningConfig r, Integer maxTokens) {
    if (Boolean.FALSE.equals(r.enabled())) {
      return null;
    }
    if (r.maxTokens() != null) {
      if (r.maxTokens() == 0) {
        return null;
      }
      if (maxTokens == null || maxTokens <= 0) {
        return "medium";
      }
      double share = (double) r.maxTokens() / maxTokens;
      return share >= 0.8 ? "high" : share >= 0.5 ? "medium" : "low";
    }
    return Boolean.TRUE.equals(r.enabled()) ? "medium" : null;
  }

  private static void writeVendorFields(
      JsonGenerator g, Map<String, JsonNode> fields, DialectProfile profile) throws IOException {
    for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
      String name = field.getKey();
      if (OPENROUTER_ONLY.contains(name)
          || WRITTEN.contains(name)
          || profile.drops(name)
          || (OPENROUTER_EXTENSIONS.contains(name) && !profile.openRouterExtensions())) {
        continue;
      }
      g.writeFieldName(name);
      g.writeTree(field.getValue());
    }
  }
}
