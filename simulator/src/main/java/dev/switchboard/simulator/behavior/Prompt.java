package dev.switchboard.simulator.behavior;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the simulator needs to know about a request, whatever dialect it came in. Each dialect
 * parses its wire request into a {@code Prompt}; the {@link Planner} decides the reply from it.
 *
 * @param model the model name, echoed back
 * @param turns the conversation, oldest first
 * @param tools the tools offered, in request order
 * @param toolChoice how the caller constrains tool use
 * @param parallelToolCalls whether the caller allows several calls in one reply
 * @param format the requested output format
 * @param maxTokens the completion token limit, or null for none
 * @param stop stop strings (possibly empty)
 * @param stream whether the reply is streamed
 * @param includeUsage whether a stream ends with a usage chunk
 * @param reasoning whether the caller asked for the model's reasoning (Anthropic's {@code
 *     thinking}); dialects that can show reasoning then produce {@link ThinkingText}
 * @param webSearch whether the request turned on the provider's own web search (OpenAI's {@code
 *     web_search_options}, Anthropic's {@code web_search} server tool): a text reply then cites
 *     {@link NativeSearch}'s results
 */
public record Prompt(
    String model,
    List<Turn> turns,
    List<ToolSpec> tools,
    ToolChoice toolChoice,
    boolean parallelToolCalls,
    OutputFormat format,
    Integer maxTokens,
    List<String> stop,
    boolean stream,
    boolean includeUsage,
    boolean reasoning,
    boolean webSearch) {

  public Prompt {
    turns = List.copyOf(turns);
    tools = List.copyOf(tools);
    stop = List.copyOf(stop);
  }

  /** A prompt that does not ask for reasoning. */
  public Prompt(
      String model,
      List<Turn> turns,
      List<ToolSpec> tools,
      ToolChoice toolChoice,
      boolean parallelToolCalls,
      OutputFormat format,
      Integer maxTokens,
      List<String> stop,
      boolean stream,
      boolean includeUsage) {
    this(
        model,
        turns,
        tools,
        toolChoice,
        parallelToolCalls,
        format,
        maxTokens,
        stop,
        stream,
        includeUsage,
        false,
        false);
  }

  /** A prompt without the provider's web search. */
  public Prompt(
      String model,
      List<Turn> turns,
      List<ToolSpec> tools,
      ToolChoice toolChoice,
      boolean parallelToolCalls,
      OutputFormat format,
      Integer maxTokens,
      List<String> stop,
      boolean stream,
      boolean includeUsage,
      boolean reasoning) {
    this(
        model,
        turns,
        tools,
        toolChoice,
        parallelToolCalls,
        format,
        maxTokens,
        stop,
        stream,
        includeUsage,
        reasoning,
        false);
  }

  public Prompt withWebSearch(boolean on) {
    return new Prompt(
        model,
        turns,
        tools,
        toolChoice,
        parallelToolCalls,
        format,
        maxTokens,
        stop,
        stream,
        includeUsage,
        reasoning,
        on);
  }

  public Prompt withMaxTokens(Integer limit) {
    return new Prompt(
        model,
        turns,
        tools,
        toolChoice,
        parallelToolCalls,
        format,
        limit,
        stop,
        stream,
        includeUsage,
        reasoning,
        webSearch);
  }

  public Prompt withStop(List<String> strings) {
    return new Prompt(
        model,
        turns,
        tools,
        toolChoice,
        parallelToolCalls,
        format,
        maxTokens,
        strings,
        stream,
        includeUsage,
        reasoning,
        webSearch);
  }

  public Prompt withChoice(ToolChoice choice) {
    return new Prompt(
        model,
        turns,
        tools,
        choice,
        parallelToolCalls,
        format,
        maxTokens,
        stop,
        stream,
        includeUsage,
        reasoning,
        webSearch);
  }

  public Prompt withFormat(OutputFormat outputFormat) {
    return new Prompt(
        model,
        turns,
        tools,
        toolChoice,
        parallelToolCalls,
        outputFormat,
        maxTokens,
        stop,
        stream,
        includeUsage,
        reasoning,
        webSearch);
  }

  /** Who wrote a turn. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
  }

  /** One message, reduced to its text (tool call arguments included for assistant turns). */
  public record Turn(Role role, String text) {}

  /** A tool the model may call: its name and JSON schema for the arguments (may be null). */
  public record ToolSpec(String name, JsonNode parameters) {}

  /** The caller's tool choice. */
  public sealed interface ToolChoice {
    /** The model decides (the simulator always calls when the last turn is the user's). */
    record Auto() implements ToolChoice {}

    /** No tool calls. */
    record None() implements ToolChoice {}

    /** At least one tool call, in every turn the choice is sent with. */
    record Required() implements ToolChoice {}

    /** Exactly this tool, in every turn the choice is sent with. */
    record Named(String name) implements ToolChoice {}
  }

  /** The requested output format. */
  public sealed interface OutputFormat {
    /** Free text. */
    record Text() implements OutputFormat {}

    /** Any JSON object. */
    record JsonObject() implements OutputFormat {}

    /** JSON valid against {@code schema}. */
    record JsonSchema(String name, JsonNode schema) implements OutputFormat {}
  }
}
