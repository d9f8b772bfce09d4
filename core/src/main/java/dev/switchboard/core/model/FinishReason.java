package dev.switchboard.core.model;

/** Normalized finish reasons; the wire value is {@link #wire()}. */
public enum FinishReason {
  STOP("stop"),
  LENGTH("length"),
  TOOL_CALLS("tool_calls"),
  CONTENT_FILTER("content_filter"),
  ERROR("error");

  private final String wire;

  FinishReason(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Maps an OpenAI-dialect finish reason; unknown values map to STOP, null stays null. */
  public static FinishReason fromOpenAi(String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "length" -> LENGTH;
      case "tool_calls", "function_call" -> TOOL_CALLS;
      case "content_filter" -> CONTENT_FILTER;
      case "error" -> ERROR;
      default -> STOP;
    };
  }
}
