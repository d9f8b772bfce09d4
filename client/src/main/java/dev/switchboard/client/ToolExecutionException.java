package dev.switchboard.client;

import dev.switchboard.api.chat.ChatMessage;
import java.util.List;

/**
 * A tool failed (it threw, its arguments were not valid JSON, or the model named a tool that is not
 * registered) and the loop was configured to stop on tool errors rather than report them to the
 * model. The handler's exception is the cause.
 */
public class ToolExecutionException extends ToolLoopException {

  private static final long serialVersionUID = 1L;

  private final String toolName;

  ToolExecutionException(
      String message,
      String toolName,
      List<ChatMessage> transcript,
      List<ToolInvocation> calls,
      Throwable cause) {
    super(message, transcript, calls, cause);
    this.toolName = toolName;
  }

  /** The tool that failed. */
  public String toolName() {
    return toolName;
  }
}
