package dev.switchboard.server.limits;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolSpec;

/**
 * Estimates how many prompt tokens a request will be billed for, for the worst-case reservation
 * only (never for billing): the text is counted with a real BPE tokenizer ({@code o200k_base}, via
 * jtokkit), then a safety margin is added for providers whose tokenizers count more.
 *
 * <p>The estimate is {@code ceil(counted * 1.25) + 4 per message + 16}, plus {@value
 * #TOKENS_PER_IMAGE} per image and a quarter of the characters of inline files and audio. The 25 %
 * covers the tokenizers in the catalog, which count English and code within about 15 % of
 * o200k_base; a prompt in a script some tokenizer splits much finer can still exceed it, by at most
 * the excess times the prompt price, which is the stated bound of docs/limits.md.
 */
public final class PromptEstimator {

  /** The margin, in percent, added to the counted tokens. */
  public static final int MARGIN_PERCENT = 25;

  /** Tokens assumed per image (a large image at the highest detail of the catalog's vendors). */
  public static final int TOKENS_PER_IMAGE = 1_600;

  private static final int PER_MESSAGE = 4;
  private static final int PER_REQUEST = 16;
  private static final Encoding ENCODING =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private PromptEstimator() {}

  /** The tokenizer's count of {@code text}, special tokens counted as ordinary text. */
  public static long count(String text) {
    return text == null || text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
  }

  /** The estimate with its margin: what the reservation assumes the prompt costs. */
  public static long estimate(LlmRequest request) {
    long counted = 0;
    long extra = PER_REQUEST;
    for (Message m : request.messages()) {
      extra += PER_MESSAGE;
      for (ContentPart p : m.content()) {
        switch (p) {
          case ContentPart.Text t -> counted += count(t.text());
          case ContentPart.Image i -> extra += TOKENS_PER_IMAGE;
          case ContentPart.File f -> extra += quarter(f.fileData());
          case ContentPart.Audio a -> extra += quarter(a.data());
          case ContentPart.Video v -> extra += TOKENS_PER_IMAGE;
          case ContentPart.Unknown u ->
              extra += quarter(u.raw() == null ? null : u.raw().toString());
        }
      }
      if (m instanceof Message.Assistant a) {
        for (ToolCall c : a.toolCalls()) {
          counted += count(c.name()) + count(c.arguments());
        }
      }
    }
    for (ToolSpec t : request.tools()) {
      counted += count(t.name()) + count(t.description());
      if (t.parameters() != null) {
        counted += count(t.parameters().toString());
      }
    }
    if (request.embedding() != null) {
      counted += request.embedding().tokenIds(); // token-id inputs; text inputs are messages
    }
    if (request.responseFormat() != null && request.responseFormat().schema() != null) {
      counted += count(request.responseFormat().schema().toString());
    }
    return Math.ceilDiv(counted * (100 + MARGIN_PERCENT), 100) + extra;
  }

  /** The number of images in the prompt (for per-image prices). */
  public static int images(LlmRequest request) {
    int n = 0;
    for (Message m : request.messages()) {
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Image) {
          n++;
        }
      }
    }
    return n;
  }

  private static long quarter(String s) {
    return s == null ? 0 : (s.length() + 3) / 4;
  }
}
