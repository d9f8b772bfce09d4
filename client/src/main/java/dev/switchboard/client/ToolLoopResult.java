package dev.switchboard.client;

import dev.switchboard.api.chat.ChatMessage;
import java.math.BigDecimal;
import java.util.List;

/**
 * How a tool loop ended: the final answer, the last response, the whole conversation (the request's
 * messages, then every assistant turn and tool result), the tool calls executed and every response
 * in order.
 */
public record ToolLoopResult(
    String answer,
    ChatResponse finalResponse,
    List<ChatMessage> transcript,
    List<ToolInvocation> invocations,
    List<ChatResponse> responses) {

  public ToolLoopResult {
    transcript = List.copyOf(transcript);
    invocations = List.copyOf(invocations);
    responses = List.copyOf(responses);
  }

  /** Model calls made. */
  public int rounds() {
    return responses.size();
  }

  /** The summed {@code usage.cost} of every round, in USD. */
  public BigDecimal totalCost() {
    return responses.stream()
        .map(r -> r.cost().orElse(BigDecimal.ZERO))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
