package dev.switchboard.testkit.conformance;

/**
 * The conformance scenarios every adapter is run through, in the order the compatibility matrix
 * lists them. Each is an OpenAI-format client request (or two) sent through the adapter to the
 * simulator, plus checks on what came back; {@link Scenarios} holds the requests and checks. Adding
 * a scenario breaks every adapter's test until the adapter declares how it handles it.
 */
public enum Scenario {
  SIMPLE("simple", "Simple text answer"),
  SYSTEM_PROMPT("system-prompt", "System prompt"),
  MULTI_TURN("multi-turn", "Multi-turn conversation"),
  TOOLS("tools", "Tool call"),
  TOOL_CHOICE_AUTO("tool-choice-auto", "tool_choice: auto"),
  TOOL_CHOICE_NONE("tool-choice-none", "tool_choice: none"),
  TOOL_CHOICE_REQUIRED("tool-choice-required", "tool_choice: required"),
  TOOL_CHOICE_FUNCTION("tool-choice-function", "tool_choice: a named function"),
  PARALLEL_TOOLS("parallel-tools", "Parallel tool calls"),
  STREAMED_TOOLS("streamed-tools", "Streamed parallel tool calls"),
  TOOL_RESULTS("tool-results", "Tool results in a later turn"),
  REASONING("reasoning", "Reasoning returned (plain and streamed)"),
  REASONING_ROUND_TRIP("reasoning-round-trip", "Reasoning details sent back with a tool result"),
  JSON_SCHEMA("json-schema", "response_format: json_schema"),
  IMAGE("image", "Image input (URL and data: URL)"),
  PDF("pdf", "PDF input (file part)"),
  AUDIO("audio", "Audio input"),
  VIDEO("video", "Video input"),
  STOP_SEQUENCES("stop-sequences", "Stop sequences"),
  USAGE_IN_STREAM("usage-in-stream", "Streamed text with usage"),
  ERROR_400("error-400", "Upstream 400: invalid request"),
  ERROR_401("error-401", "Upstream 401: bad credential"),
  ERROR_404("error-404", "Upstream 404: unknown model"),
  ERROR_429("error-429", "Upstream 429: rate limited, with Retry-After"),
  ERROR_500("error-500", "Upstream 500: server error"),
  ERROR_OVERLOADED("error-overloaded", "Upstream 529: overloaded"),
  MID_STREAM_ERROR("mid-stream-error", "Error event in the middle of a stream");

  private final String id;
  private final String title;

  Scenario(String id, String title) {
    this.id = id;
    this.title = title;
  }

  /** A stable kebab-case id, used in result files. */
  public String id() {
    return id;
  }

  /** A short human title, used in the matrix. */
  public String title() {
    return title;
  }
}
