package dev.switchboard.server.metering;

import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.Usage;

/**
 * Estimates usage when an upstream reports none (a cut stream, a vendor without stream usage), at
 * about four characters a token. Estimates are flagged {@link Usage#estimated()}.
 */
public final class UsageEstimator {

  private UsageEstimator() {}

  public static long promptTokens(LlmRequest request) {
    long chars = 0;
    for (Message m : request.messages()) {
      chars += 4; // role and framing
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Text t) {
          chars += t.text().length();
        }
      }
      if (m instanceof Message.Assistant a) {
        for (ToolCall c : a.toolCalls()) {
          chars += c.name().length() + (c.arguments() == null ? 0 : c.arguments().length());
        }
      }
    }
    // Token ids of an embeddings request count as they are.
    long ids = request.embedding() == null ? 0 : request.embedding().tokenIds();
    return Math.max(1, (chars + 3) / 4 + ids);
  }

  public static Usage estimate(LlmRequest request, long completionChars) {
    return new Usage(promptTokens(request), (completionChars + 3) / 4, 0, 0, 0, true);
  }
}
