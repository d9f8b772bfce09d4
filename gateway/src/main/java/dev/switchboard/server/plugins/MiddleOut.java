package dev.switchboard.server.plugins;

import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.server.limits.PromptEstimator;
import java.util.ArrayList;
import java.util.List;

/**
 * Middle-out compression (reference §7.5): messages are dropped from the middle of the conversation
 * until the prompt fits; the system prompt, the first turn and the last turn always stay. An
 * assistant turn with tool calls goes together with the tool results that answer it, so what is
 * left is still a valid conversation. If the turns that must stay are still too long, the middle of
 * the longest one's text is cut out. Token counts are {@link PromptEstimator}'s (o200k_base with
 * its margin), the same the reservation uses.
 */
final class MiddleOut {

  /** What is put where text was cut from the middle of a message. */
  static final String CUT = "\n[…]\n";

  private MiddleOut() {}

  /** The tokens {@code request} is estimated at. */
  static long tokens(LlmRequest request) {
    return PromptEstimator.estimate(request);
  }

  /**
   * {@code request} compressed to at most {@code budget} estimated prompt tokens, or unchanged when
   * it fits already; as close as it gets when even the kept turns cannot fit.
   */
  static LlmRequest fit(LlmRequest request, long budget) {
    long total = tokens(request);
    if (total <= budget) {
      return request;
    }
    List<Message> messages = request.messages();
    List<List<Message>> units = units(messages);
    // Leading system messages, the first and the last other unit stay.
    int firstMovable = 0;
    while (firstMovable < units.size()
        && units.get(firstMovable).getFirst() instanceof Message.System) {
      firstMovable++;
    }
    firstMovable++; // the first turn
    int lastMovable = units.size() - 2; // the last turn stays
    List<Integer> order = middleFirst(firstMovable, lastMovable);
    boolean[] dropped = new boolean[units.size()];
    long fixed = total;
    for (List<Message> u : units) {
      fixed -= weight(u);
    }
    long kept = total - fixed;
    for (int i : order) {
      if (fixed + kept <= budget) {
        break;
      }
      dropped[i] = true;
      kept -= weight(units.get(i));
    }
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      if (!dropped[i]) {
        out.addAll(units.get(i));
      }
    }
    LlmRequest smaller = request.withMessages(out);
    for (int round = 0; round < 4; round++) {
      long now = tokens(smaller);
      if (now <= budget) {
        break;
      }
      smaller = cutLongest(smaller, now - budget);
    }
    return smaller;
  }

  /** The indexes {@code from..to}, the middle one first, then alternately after and before it. */
  static List<Integer> middleFirst(int from, int to) {
    List<Integer> out = new ArrayList<>();
    if (to < from) {
      return out;
    }
    int mid = (from + to) / 2;
    out.add(mid);
    for (int d = 1; out.size() < to - from + 1; d++) {
      if (mid + d <= to) {
        out.add(mid + d);
      }
      if (mid - d >= from) {
        out.add(mid - d);
      }
    }
    return out;
  }

  /** Messages grouped so that a unit can go as a whole: a tool-calling turn with its results. */
  static List<List<Message>> units(List<Message> messages) {
    List<List<Message>> units = new ArrayList<>();
    for (Message m : messages) {
      if (m instanceof Message.Tool && !units.isEmpty()) {
        List<Message> last = units.getLast();
        if (last.getFirst() instanceof Message.Assistant a && !a.toolCalls().isEmpty()) {
          last.add(m);
          continue;
        }
      }
      List<Message> unit = new ArrayList<>();
      unit.add(m);
      units.add(unit);
    }
    return units;
  }

  private static long weight(List<Message> unit) {
    long counted = 0;
    long extra = 0;
    for (Message m : unit) {
      extra += 4;
      for (ContentPart p : m.content()) {
        switch (p) {
          case ContentPart.Text t -> counted += PromptEstimator.count(t.text());
          case ContentPart.Image i -> extra += PromptEstimator.TOKENS_PER_IMAGE;
          case ContentPart.Video v -> extra += PromptEstimator.TOKENS_PER_IMAGE;
          case ContentPart.File f -> extra += quarter(f.fileData());
          case ContentPart.Audio a -> extra += quarter(a.data());
          case ContentPart.Unknown u ->
              extra += quarter(u.raw() == null ? null : u.raw().toString());
        }
      }
      if (m instanceof Message.Assistant a) {
        for (ToolCall c : a.toolCalls()) {
          counted += PromptEstimator.count(c.name()) + PromptEstimator.count(c.arguments());
        }
      }
    }
    return Math.ceilDiv(counted * (100 + PromptEstimator.MARGIN_PERCENT), 100) + extra;
  }

  private static long quarter(String s) {
    return s == null ? 0 : (s.length() + 3) / 4;
  }

  /** The request with the middle of its longest text part cut by about {@code excess} tokens. */
  private static LlmRequest cutLongest(LlmRequest request, long excess) {
    List<Message> messages = request.messages();
    int bestMessage = -1;
    int bestPart = -1;
    int bestLength = 0;
    for (int i = 0; i < messages.size(); i++) {
      List<ContentPart> parts = messages.get(i).content();
      for (int j = 0; j < parts.size(); j++) {
        if (parts.get(j) instanceof ContentPart.Text t && t.text().length() > bestLength) {
          bestMessage = i;
          bestPart = j;
          bestLength = t.text().length();
        }
      }
    }
    if (bestMessage < 0) {
      return request;
    }
    ContentPart.Text text = (ContentPart.Text) messages.get(bestMessage).content().get(bestPart);
    String s = text.text();
    long tokens = Math.max(1, PromptEstimator.count(s));
    // Characters per token of this text, with room for the margin; at least the excess goes.
    long cutChars = Math.min(s.length(), Math.ceilDiv(excess * 13 * s.length(), tokens * 10) + 16);
    int keep = (int) (s.length() - cutChars);
    int head = keep / 2;
    int tail = keep - head;
    String cut = s.substring(0, head) + CUT + s.substring(s.length() - tail);
    List<ContentPart> parts = new ArrayList<>(messages.get(bestMessage).content());
    parts.set(bestPart, new ContentPart.Text(cut, text.cacheControl()));
    List<Message> out = new ArrayList<>(messages);
    out.set(bestMessage, withContent(messages.get(bestMessage), parts));
    return request.withMessages(out);
  }

  private static Message withContent(Message m, List<ContentPart> parts) {
    return switch (m) {
      case Message.System s -> new Message.System(parts, s.name(), s.developer());
      case Message.User u -> new Message.User(parts, u.name());
      case Message.Assistant a ->
          new Message.Assistant(
              parts,
              a.name(),
              a.toolCalls(),
              a.refusal(),
              a.reasoning(),
              a.reasoningDetails(),
              a.extra());
      case Message.Tool t -> new Message.Tool(t.toolCallId(), parts);
    };
  }
}
