package dev.switchboard.client;

import dev.switchboard.api.chat.ChatMessage;
import java.util.List;

/** A tool loop that could not finish; the conversation so far is kept. Status 0. */
public class ToolLoopException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  private final transient List<ChatMessage> transcript;
  private final transient List<ToolInvocation> invocations;

  ToolLoopException(
      String message,
      List<ChatMessage> transcript,
      List<ToolInvocation> invocations,
      Throwable cause) {
    super(ErrorInfo.of(0, message), cause);
    this.transcript = List.copyOf(transcript);
    this.invocations = List.copyOf(invocations);
  }

  /** The conversation up to the failure. */
  public List<ChatMessage> transcript() {
    return transcript;
  }

  /** The tool calls executed up to the failure. */
  public List<ToolInvocation> invocations() {
    return invocations;
  }
}
