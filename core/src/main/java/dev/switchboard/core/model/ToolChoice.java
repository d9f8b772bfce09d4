package dev.switchboard.core.model;

/** {@code tool_choice}: auto, none, required, or one named function. */
public record ToolChoice(Mode mode, String functionName) {

  /** The mode of a tool choice. */
  public enum Mode {
    AUTO,
    NONE,
    REQUIRED,
    FUNCTION
  }

  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
  public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  public static ToolChoice function(String name) {
    return new ToolChoice(Mode.FUNCTION, name);
  }
}
