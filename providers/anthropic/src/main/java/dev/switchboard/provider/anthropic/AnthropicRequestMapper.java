package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.ReasoningConfig;
import dev.switchboard.core.model.ResponseFormat;
import dev.switchboard.core.model.Sampling;
import dev.switchboard.core.model.ToolChoice;
import dev.switchboard.core.model.ToolSpec;
import dev.switchboard.core.provider.Target;
import dev.switchboard.provider.anthropic.AnthropicWire.MessagesRequest;
import dev.switchboard.provider.anthropic.AnthropicWire.OutputConfig;
import dev.switchboard.provider.anthropic.AnthropicWire.OutputFormat;
import dev.switchboard.provider.anthropic.AnthropicWire.Thinking;
import dev.switchboard.provider.anthropic.AnthropicWire.Tool;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link LlmRequest} to an Anthropic {@code /v1/messages} body.
 *
 * <ul>
 *   <li>{@code max_tokens} is required: the client's, else the target's default (the catalog's max
 *       completion tokens), else {@link #DEFAULT_MAX_TOKENS}.
 *   <li>Reasoning becomes {@code thinking.budget_tokens} (checklist 106): an effort is a share of
 *       {@code max_tokens} (max/xhigh 0.95, high 0.8, medium 0.5, low 0.2, minimal 0.1) clamped to
 *       1,024..128,000; an explicit {@code reasoning.max_tokens} is used as is, at least 1,024.
 *       When the budget does not fit below {@code max_tokens}, {@code max_tokens} grows by the
 *       budget. With thinking on, {@code temperature} and {@code top_k} are dropped and {@code
 *       top_p} is kept only from 0.95 (Anthropic refuses the rest), and a forced tool choice is
 *       refused.
 *   <li>{@code tool_choice}: auto, none, required → any, a function → tool; {@code
 *       parallel_tool_calls:false} → {@code disable_parallel_tool_use}.
 *   <li>{@code response_format} {@code json_schema}: {@code output_config.format} on models that
 *       have structured outputs ({@link AnthropicModels}), else a forced tool named {@link
 *       #JSON_TOOL} whose input the decoders return as the content; {@code json_object} always goes
 *       the forced-tool way.
 *   <li>Sampling: {@code temperature} (at most 1), {@code top_p}, {@code top_k}, {@code stop} →
 *       {@code stop_sequences}. Penalties, seed, logit bias and logprobs have no Anthropic
 *       equivalent and are dropped, as OpenRouter drops unsupported parameters.
 *   <li>{@code user} becomes {@code metadata.user_id}.
 *   <li>A top-level {@code cache_control} (automatic caching, checklist 103) is passed on; other
 *       unknown client fields are not (Anthropic refuses unknown fields).
 * </ul>
 */
final class AnthropicRequestMapper {

  /** The output limit when neither the client nor the catalog gives one. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  /** The tool that carries structured output on models without native structured outputs. */
  static final String JSON_TOOL = "switchboard_json_output";

  static final int MIN_BUDGET = 1024;
  static final int MAX_BUDGET = 128_000;

  private static final BigDecimal MAX_TEMPERATURE = BigDecimal.ONE;
  private static final BigDecimal MIN_THINKING_TOP_P = new BigDecimal("0.95");

  private AnthropicRequestMapper() {}

  static byte[] body(LlmRequest request, Target target) {
    return ApiJson.bytes(map(request, target));
  }

  static MessagesRequest map(LlmRequest request, Target target) {
    AnthropicMessages.Mapped mapped = AnthropicMessages.map(request.messages());
    Sampling s = request.sampling();
    int maxTokens = maxTokens(s.maxTokens(), target.defaultMaxTokens());
    Integer budget = budget(request.reasoning(), maxTokens);
    if (budget != null && budget >= maxTokens) {
      maxTokens += budget;
    }
    boolean thinking = budget != null;
    Tools tools = tools(request, target, thinking);
    return new MessagesRequest(
        target.upstreamModel(),
        maxTokens,
        mapped.system().isEmpty() ? null : mapped.system(),
        mapped.messages(),
        request.stream() ? Boolean.TRUE : null,
        thinking ? null : temperature(s.temperature()),
        thinking && s.topP() != null && s.topP().compareTo(MIN_THINKING_TOP_P) < 0
            ? null
            : s.topP(),
        thinking ? null : s.topK(),
        stops(s.stop()),
        tools.tools().isEmpty() ? null : tools.tools(),
        tools.choice(),
        thinking ? new Thinking("enabled", budget) : null,
        tools.output(),
        object(request.vendorFields().get("cache_control")),
        serviceTier(request.vendorFields()),
        request.user() == null || request.user().isBlank()
            ? null
            : new AnthropicWire.Metadata(request.user()));
  }

  static int maxTokens(Integer requested, Integer targetDefault) {
    if (requested != null) {
      return requested;
    }
    return targetDefault != null && targetDefault > 0 ? targetDefault : DEFAULT_MAX_TOKENS;
  }

  /** The thinking budget, or null for no thinking. */
  static Integer budget(ReasoningConfig reasoning, int maxTokens) {
    if (reasoning == null || Boolean.FALSE.equals(reasoning.enabled())) {
      return null;
    }
    if (reasoning.maxTokens() != null) {
      return reasoning.maxTokens() == 0 ? null : Math.max(reasoning.maxTokens(), MIN_BUDGET);
    }
    String effort = reasoning.effort();
    if (effort == null) {
      if (!Boolean.TRUE.equals(reasoning.enabled())) {
        return null;
      }
      effort = "medium";
    }
    double ratio =
        switch (effort) {
          case "max", "xhigh" -> 0.95;
          case "high" -> 0.8;
          case "medium" -> 0.5;
          case "low" -> 0.2;
          case "minimal" -> 0.1;
          default -> 0;
        };
    if (ratio == 0) {
      return null; // "none"
    }
    long share = (long) Math.floor(maxTokens * ratio);
    return (int) Math.max(Math.min(share, MAX_BUDGET), MIN_BUDGET);
  }

  /** The tools, tool choice and output config, structured output folded in. */
  private record Tools(List<Tool> tools, AnthropicWire.ToolChoice choice, OutputConfig output) {}

  private static Tools tools(LlmRequest request, Target target, boolean thinking) {
    boolean strictAllowed = AnthropicModels.nativeStructuredOutputs(target.upstreamModel());
    List<Tool> tools = new ArrayList<>(request.tools().size() + 1);
    for (ToolSpec spec : request.tools()) {
      if (spec.name().equals(JSON_TOOL)) {
        throw AnthropicMessages.invalid(
            "tool name \"" + JSON_TOOL + "\" is reserved by the gateway for structured output");
      }
      tools.add(
          new Tool(
              spec.name(),
              spec.description(),
              spec.parameters() != null ? spec.parameters() : emptySchema(),
              strictAllowed ? spec.strict() : null,
              spec.cacheControl()));
    }
    ToolChoice choice = request.toolChoice();
    Boolean disableParallel = Boolean.FALSE.equals(request.parallelToolCalls()) ? true : null;
    AnthropicWire.ToolChoice wireChoice =
        tools.isEmpty() ? null : toolChoice(choice, disableParallel);
    OutputConfig output = null;
    boolean formatForcesTool = false;
    ResponseFormat format = request.responseFormat();
    String type = format == null ? "text" : format.type();
    switch (type) {
      case "text" -> {}
      case "json_schema", "json_object" -> {
        JsonNode schema = type.equals("json_object") ? emptySchema() : format.schema();
        if (schema == null) {
          throw AnthropicMessages.invalid(
              "\"response_format.json_schema.schema\" is required for Anthropic");
        }
        boolean forcedByClient =
            choice != null
                && (choice.mode() == ToolChoice.Mode.REQUIRED
                    || choice.mode() == ToolChoice.Mode.FUNCTION);
        if (type.equals("json_schema") && strictAllowed) {
          output = new OutputConfig(new OutputFormat("json_schema", schema));
        } else if (!forcedByClient) {
          // No native structured outputs: a forced tool whose input is the answer. With client
          // tools and no choice, "any" lets the model call one of theirs or answer in JSON.
          boolean clientMayCall =
              !tools.isEmpty() && (choice == null || choice.mode() == ToolChoice.Mode.AUTO);
          tools.add(
              new Tool(
                  JSON_TOOL,
                  "Give the final answer by calling this tool once; its input is the answer, as"
                      + " JSON matching the schema.",
                  schema,
                  null,
                  null));
          formatForcesTool = true;
          wireChoice =
              clientMayCall
                  ? new AnthropicWire.ToolChoice("any", null, disableParallel)
                  : new AnthropicWire.ToolChoice("tool", JSON_TOOL, true);
        }
      }
      default ->
          throw AnthropicMessages.invalid(
              "\"response_format\" type \"" + type + "\" is not supported by Anthropic");
    }
    boolean forced =
        wireChoice != null
            && !wireChoice.type().equals("auto")
            && !wireChoice.type().equals("none");
    if (thinking && forced) {
      throw AnthropicMessages.invalid(
          formatForcesTool
              ? "\"response_format\" on "
                  + target.upstreamModel()
                  + " needs a forced tool, which Anthropic does not allow together with"
                  + " reasoning; drop \"reasoning\" or use a model with native structured outputs"
              : "a \"tool_choice\" that forces a tool call cannot be combined with reasoning on"
                  + " Anthropic; use \"auto\" or drop \"reasoning\"");
    }
    JsonNode search = request.vendorFields().get("web_search_options");
    if (search != null && !search.isNull()) {
      // OpenAI's native search options: Anthropic's own web search server tool.
      JsonNode maxUses = search.get("max_uses");
      tools.add(
          Tool.webSearch(maxUses != null && maxUses.canConvertToInt() ? maxUses.asInt() : null));
    }
    return new Tools(tools, wireChoice, output);
  }

  private static AnthropicWire.ToolChoice toolChoice(ToolChoice choice, Boolean disableParallel) {
    if (choice == null) {
      return disableParallel == null ? null : new AnthropicWire.ToolChoice("auto", null, true);
    }
    return switch (choice.mode()) {
      case AUTO -> new AnthropicWire.ToolChoice("auto", null, disableParallel);
      case NONE -> new AnthropicWire.ToolChoice("none", null, null);
      case REQUIRED -> new AnthropicWire.ToolChoice("any", null, disableParallel);
      case FUNCTION -> new AnthropicWire.ToolChoice("tool", choice.functionName(), disableParallel);
    };
  }

  private static BigDecimal temperature(BigDecimal value) {
    return value != null && value.compareTo(MAX_TEMPERATURE) > 0 ? MAX_TEMPERATURE : value;
  }

  private static List<String> stops(List<String> stop) {
    if (stop == null || stop.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>(stop.size());
    for (String s : stop) {
      if (s != null && !s.isBlank()) {
        out.add(s); // Anthropic refuses whitespace-only stop sequences
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static JsonNode object(JsonNode node) {
    return node != null && node.isObject() ? node : null;
  }

  /** Anthropic's own tiers only ({@code auto}, {@code standard_only}); OpenAI's are dropped. */
  private static JsonNode serviceTier(Map<String, JsonNode> vendorFields) {
    JsonNode tier = vendorFields.get("service_tier");
    if (tier != null
        && tier.isTextual()
        && (tier.textValue().equals("auto") || tier.textValue().equals("standard_only"))) {
      return tier;
    }
    return null;
  }

  private static ObjectNode emptySchema() {
    ObjectNode schema = ApiJson.object();
    schema.put("type", "object");
    schema.putObject("properties");
    return schema;
  }
}
