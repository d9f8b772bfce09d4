package dev.switchboard.client;

import dev.switchboard.api.chat.ChatMessage;
import java.util.List;

/** The model still asked for tools when the loop's round limit was reached. */
public class MaxRoundsExceededException extends ToolLoopException {

  private static final long serialVersionUID = 1L;

  private final int maxRounds;

  MaxRoundsExceededException(
      String message, int maxRounds, List<ChatMessage> transcript, List<ToolInvocation> calls) {
    super(message, transcript, calls, null);
    this.maxRounds = maxRounds;
  }

  public int maxRounds() {
    return maxRounds;
  }
}
