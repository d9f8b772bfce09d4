package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.openai.OpenAiChunkEncoder;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.sse.SseWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The legacy text completions API ({@code POST /completions}, checklist 146): a {@code prompt}
 * becomes the one user message of a chat request, so every chat model serves it; the answer is a
 * {@code text_completion} whose {@code choices[].text} is the assistant's text, streamed as the
 * same {@code data:} chunks with {@code text} deltas, ended by {@code data: [DONE]}. What the chat
 * path cannot honour for a prompt (several prompts, token-id prompts, {@code echo}, {@code suffix},
 * {@code logprobs}, {@code n} or {@code best_of} above 1) is refused with a 400 naming it.
 */
public final class LegacyCompletions implements InboundDialect {

  public static final LegacyCompletions INSTANCE = new LegacyCompletions();

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROCESSING = SseWriter.comment("OPENROUTER PROCESSING");
  private static final String OBJECT = "text_completion";

  /** Fields the chat codec reads under the same name. */
  private static final Set<String> SAME =
      Set.of(
          "model",
          "models",
          "max_tokens",
          "temperature",
          "top_p",
          "top_k",
          "frequency_penalty",
          "presence_penalty",
          "repetition_penalty",
          "min_p",
          "top_a",
          "seed",
          "logit_bias",
          "stop",
          "stream",
          "stream_options",
          "user",
          "metadata",
          "provider",
          "preset",
          "plugins",
          "reasoning",
          "usage",
          "session_id",
          "response_format");

  private LegacyCompletions() {}

  @Override
  public String name() {
    return "openai-completions";
  }

  @Override
  public String credential(Function<String, String> headers) {
    return Authenticator.bearer(headers.apply("authorization"));
  }

  @Override
  public LlmRequest decode(byte[] body) {
    JsonNode root;
    try {
      root = ApiJson.tree(body);
    } catch (IOException | RuntimeException e) {
      throw GatewayException.invalid("Request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw GatewayException.invalid("Request body must be a JSON object");
    }
    ObjectNode chat = ApiJson.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String name = f.getKey();
      JsonNode v = f.getValue();
      if (SAME.contains(name)) {
        chat.set(name, v);
        continue;
      }
      switch (name) {
        case "prompt" -> {}
        case "n", "best_of" -> {
          if (!v.isNull() && !(v.isIntegralNumber() && v.asInt() == 1)) {
            throw GatewayException.invalid(
                "\"" + name + "\" must be 1: one completion per request");
          }
        }
        case "echo" -> {
          if (!v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
            throw GatewayException.invalid("\"echo\": true is not supported");
          }
        }
        case "logprobs", "suffix" -> {
          if (!v.isNull()) {
            throw GatewayException.invalid("\"" + name + "\" is not supported on /completions");
          }
        }
        default ->
            throw GatewayException.invalid(
                "\"" + name + "\" is not supported on /completions by this gateway");
      }
    }
    chat.putArray("messages").addObject().put("role", "user").put("content", prompt(root));
    return OpenAiChatCodec.toCanonical(ApiJson.bytes(chat));
  }

  /** One text prompt: a string, or an array holding one string. */
  private static String prompt(JsonNode root) {
    JsonNode p = root.get("prompt");
    if (p == null || p.isNull()) {
      throw GatewayException.invalid("\"prompt\" is required");
    }
    if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
      p = p.get(0);
    }
    if (p.isTextual()) {
      return p.asText();
    }
    if (p.isArray() && !p.isEmpty() && (p.get(0).isNumber() || p.get(0).isArray())) {
      throw GatewayException.invalid(
          "\"prompt\" as token ids is not supported: chat models take text; send the prompt as a"
              + " string");
    }
    throw GatewayException.invalid(
        "\"prompt\" must be a string (or an array of one string): one prompt per request");
  }

  @Override
  public byte[] encodeBody(
      LlmResponse answer, Stamp stamp, Usage usage, Cost cost, JsonNode routingMetadata) {
    ObjectNode tree =
        (ObjectNode)
            ApiJson.toTree(
                OpenAiChatCodec.toCompletion(
                    answer,
                    stamp.generationId(),
                    stamp.model(),
                    stamp.providerName(),
                    stamp.createdEpochSeconds(),
                    UsageMapper.toApi(usage, cost),
                    stamp.includeReasoning()));
    tree.put("object", OBJECT);
    for (JsonNode choice : tree.path("choices")) {
      ObjectNode c = (ObjectNode) choice;
      JsonNode message = c.remove("message");
      c.put("text", message == null ? "" : message.path("content").asText(""));
      c.putNull("logprobs");
      if (message != null && message.hasNonNull("reasoning")) {
        c.set("reasoning", message.get("reasoning"));
      }
      if (message != null && message.hasNonNull("reasoning_details")) {
        c.set("reasoning_details", message.get("reasoning_details"));
      }
    }
    if (routingMetadata != null) {
      tree.set("openrouter_metadata", routingMetadata);
    }
    return ApiJson.bytes(tree);
  }

  @Override
  public byte[] encodeError(GatewayError error, JsonNode routingMetadata) {
    return ErrorEnvelope.bytes(error, routingMetadata);
  }

  @Override
  public StreamEncoder newStreamEncoder(Stamp stamp) {
    return new Chunks(
        new OpenAiChunkEncoder(
            stamp.generationId(),
            stamp.model(),
            stamp.providerName(),
            stamp.createdEpochSeconds(),
            stamp.includeReasoning()));
  }

  @Override
  public byte[] keepalive() {
    return PROCESSING;
  }

  /** Chat chunks rewritten as text completion chunks: {@code choices[].text} deltas. */
  private record Chunks(OpenAiChunkEncoder encoder) implements StreamEncoder {

    @Override
    public void event(StreamEvent event, Consumer<byte[]> out) {
      List<ChatCompletionChunk> chunks = encoder.encode(event);
      for (ChatCompletionChunk chunk : chunks) {
        ObjectNode tree = text(chunk);
        if (tree != null) {
          frame(tree, out);
        }
      }
    }

    @Override
    public void finish(Usage usage, Cost cost, JsonNode routingMetadata, Consumer<byte[]> out) {
      ObjectNode tree =
          (ObjectNode) ApiJson.toTree(encoder.usageChunk(UsageMapper.toApi(usage, cost)));
      tree.put("object", OBJECT);
      if (routingMetadata != null) {
        tree.set("openrouter_metadata", routingMetadata);
      }
      frame(tree, out);
      out.accept(SseWriter.done());
    }

    @Override
    public void error(GatewayError error, Consumer<byte[]> out) {
      ObjectNode tree = (ObjectNode) ApiJson.toTree(encoder.errorChunk(ErrorEnvelope.body(error)));
      tree.put("object", OBJECT);
      for (JsonNode choice : tree.path("choices")) {
        ((ObjectNode) choice).remove("delta");
        ((ObjectNode) choice).put("text", "");
      }
      frame(tree, out);
    }

    /**
     * A chat chunk as a text completion chunk; null for a chunk that carries neither text nor a
     * finish reason (a tool call's, which a text completion cannot show).
     */
    private static ObjectNode text(ChatCompletionChunk chunk) {
      ObjectNode tree = (ObjectNode) ApiJson.toTree(chunk);
      tree.put("object", OBJECT);
      boolean useful = false;
      for (JsonNode choice : tree.path("choices")) {
        ObjectNode c = (ObjectNode) choice;
        JsonNode delta = c.remove("delta");
        String text = delta == null ? "" : delta.path("content").asText("");
        c.put("text", text);
        c.putNull("logprobs");
        if (delta != null && delta.hasNonNull("reasoning")) {
          c.set("reasoning", delta.get("reasoning"));
          useful = true;
        }
        useful |= !text.isEmpty() || c.hasNonNull("finish_reason");
      }
      return useful ? tree : null;
    }

    private static void frame(ObjectNode tree, Consumer<byte[]> out) {
      out.accept(DATA);
      out.accept(ApiJson.bytes(tree));
      out.accept(END);
    }
  }
}
