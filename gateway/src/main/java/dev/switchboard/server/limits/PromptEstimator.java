package dev.switchboard.server.limits;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolSpec;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>{@link #bound} is the same formula with each text's UTF-8 length in place of its token count,
 * computed without the tokenizer. A token of {@code o200k_base} is at least one byte of the UTF-8
 * text (it is a byte-level BPE, and ordinary counting adds no special tokens), so the count never
 * exceeds the byte length and the bound is never below the estimate: admission holds it in the
 * common case and tokenizes only when it does not fit a budget (see {@link Admission}).
 */
public final class PromptEstimator {

  /** The margin, in percent, added to the counted tokens. */
  public static final int MARGIN_PERCENT = 25;

  /** Tokens assumed per image (a large image at the highest detail of the catalog's vendors). */
  public static final int TOKENS_PER_IMAGE = 1_600;

  private static final int PER_MESSAGE = 4;
  private static final int PER_REQUEST = 16;
  private static final Logger log = LoggerFactory.getLogger(PromptEstimator.class);
  private static final AtomicBoolean warming = new AtomicBoolean();
  private static volatile boolean loaded;

  /**
   * Where a count runs while the tokenizer is not loaded yet, so that its loading never blocks an
   * event loop: a daemon thread per count, only until the tokenizer is loaded.
   */
  public static final Executor LOADER =
      Executors.newThreadPerTaskExecutor(
          Thread.ofPlatform().daemon().name("switchboard-tokenizer-load", 0).factory());

  /** The tokenizer, loaded (about 30 MB of vocabulary) on its first use or by {@link #warm}. */
  private static final class Tokenizer {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  /** How a text is measured: by the tokenizer, or by its UTF-8 length (an upper bound of that). */
  private interface Measure {
    long of(String text);
  }

  private PromptEstimator() {}

  /** The tokenizer's count of {@code text}, special tokens counted as ordinary text. */
  public static long count(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    long n = Tokenizer.ENCODING.countTokensOrdinary(text);
    loaded = true;
    return n;
  }

  /** Loads the tokenizer now, on this thread (it blocks for as long as loading takes). */
  public static void load() {
    count("Load the tokenizer.");
  }

  /** Whether the tokenizer is loaded, so that counting does not load it. */
  public static boolean loaded() {
    return loaded;
  }

  /**
   * An upper bound of the UTF-8 length of {@code text} (exact except that a character outside the
   * Basic Multilingual Plane counts 6 bytes instead of 4), which is at least its token count.
   */
  public static long utf8Bytes(String text) {
    if (text == null) {
      return 0;
    }
    int n = text.length();
    long bytes = n;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        bytes += c < 0x800 ? 1 : 2;
      }
    }
    return bytes;
  }

  /**
   * Loads the tokenizer on a background thread, once, so that no request waits for it on an event
   * loop. Returns at once.
   */
  public static void warm() {
    if (warming.get() || !warming.compareAndSet(false, true)) {
      return;
    }
    Thread.ofPlatform()
        .daemon()
        .name("switchboard-tokenizer-warm-up")
        .start(
            () -> {
              long start = System.nanoTime();
              load();
              log.debug("tokenizer loaded in {} ms", (System.nanoTime() - start) / 1_000_000);
            });
  }

  /** The estimate with its margin: what the reservation assumes the prompt costs. */
  public static long estimate(LlmRequest request) {
    return measure(request, PromptEstimator::count);
  }

  /**
   * {@link #estimate} with every text's UTF-8 length in place of its token count: never below the
   * estimate, and computed without the tokenizer.
   */
  public static long bound(LlmRequest request) {
    return measure(request, PromptEstimator::utf8Bytes);
  }

  private static long measure(LlmRequest request, Measure count) {
    long counted = 0;
    long extra = PER_REQUEST;
    for (Message m : request.messages()) {
      extra += PER_MESSAGE;
      for (ContentPart p : m.content()) {
        switch (p) {
          case ContentPart.Text t -> counted += count.of(t.text());
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
          counted += count.of(c.name()) + count.of(c.arguments());
        }
      }
    }
    for (ToolSpec t : request.tools()) {
      counted += count.of(t.name()) + count.of(t.description());
      if (t.parameters() != null) {
        counted += count.of(t.parameters().toString());
      }
    }
    if (request.embedding() != null) {
      counted += request.embedding().tokenIds(); // token-id inputs; text inputs are messages
    }
    if (request.responseFormat() != null && request.responseFormat().schema() != null) {
      counted += count.of(request.responseFormat().schema().toString());
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
