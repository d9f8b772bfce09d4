package dev.switchboard.server.pipeline;

import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.ToolCall;
import java.util.ArrayList;
import java.util.List;

/** A whole answer as the stream events that would have carried it, in stream order. */
final class WholeEvents {

  private WholeEvents() {}

  static List<StreamEvent> of(LlmResponse answer) {
    List<StreamEvent> out = new ArrayList<>();
    out.add(new StreamEvent.Started(answer.upstreamId(), answer.upstreamModel()));
    if (answer.reasoning() != null) {
      out.add(new StreamEvent.ReasoningDelta(answer.reasoning(), null));
    }
    if (answer.reasoningDetails() != null && answer.reasoningDetails().isArray()) {
      answer.reasoningDetails().forEach(d -> out.add(new StreamEvent.ReasoningDelta(null, d)));
    }
    if (answer.refusal() != null) {
      out.add(new StreamEvent.RefusalDelta(answer.refusal()));
    }
    if (answer.content() != null && !answer.content().isEmpty()) {
      out.add(new StreamEvent.TextDelta(answer.content()));
    }
    List<ToolCall> calls = answer.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      out.add(new StreamEvent.ToolCallStarted(i, calls.get(i).id(), calls.get(i).name()));
      out.add(new StreamEvent.ToolCallDelta(i, calls.get(i).arguments()));
    }
    if (answer.annotations() != null && !answer.annotations().isEmpty()) {
      out.add(new StreamEvent.Annotations(answer.annotations()));
    }
    out.add(
        new StreamEvent.Finished(
            answer.finishReason(), answer.nativeFinishReason(), answer.stopSequence()));
    out.add(new StreamEvent.UsageReported(answer.usage()));
    return out;
  }
}
