package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatCompletion;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.openai.OpenAiChunkEncoder;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.sse.SseWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * OpenRouter's {@code POST /chat/completions} (the OpenAI chat shape with OpenRouter's additions):
 * a bearer key, {@link OpenAiChatCodec} both ways, {@code chat.completion.chunk}s framed as {@code
 * data: <json>} and ended by {@code data: [DONE]}, {@code : OPENROUTER PROCESSING} comments while a
 * stream waits, {@code openrouter_metadata} on the body, the usage chunk or the error envelope.
 */
public final class OpenAiChat implements InboundDialect {

  public static final OpenAiChat INSTANCE = new OpenAiChat();

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROCESSING = SseWriter.comment("OPENROUTER PROCESSING");
  private static final String METADATA = "openrouter_metadata";

  private OpenAiChat() {}

  @Override
  public String name() {
    return "openai-chat";
  }

  @Override
  public String credential(Function<String, String> headers) {
    return Authenticator.bearer(headers.apply("authorization"));
  }

  @Override
  public LlmRequest decode(byte[] body) {
    return OpenAiChatCodec.toCanonical(body);
  }

  @Override
  public LlmRequest decode(byte[] body, Function<String, String> headers, String defaultModel) {
    return OpenAiChatCodec.toCanonical(OpenAiChatCodec.readRequest(body), defaultModel);
  }

  @Override
  public byte[] encodeBody(
      LlmResponse answer, Stamp stamp, Usage usage, Cost cost, JsonNode routingMetadata) {
    ChatCompletion completion =
        OpenAiChatCodec.toCompletion(
            answer,
            stamp.generationId(),
            stamp.model(),
            stamp.providerName(),
            stamp.createdEpochSeconds(),
            UsageMapper.toApi(usage, cost),
            stamp.includeReasoning());
    if (routingMetadata != null) {
      completion = completion.withExtra(METADATA, routingMetadata);
    }
    return ApiJson.bytes(completion);
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

  /** Chunks framed as {@code data: <json>\n\n}. */
  private record Chunks(OpenAiChunkEncoder encoder) implements StreamEncoder {

    @Override
    public void event(StreamEvent event, Consumer<byte[]> out) {
      // Text and finish chunks (all but a handful of a stream's) go out in one array, written
      // directly; the others through the chunk records and the mapper. The same bytes either way.
      byte[] framed = encoder.frame(event, DATA, END);
      if (framed != null) {
        out.accept(framed);
        return;
      }
      List<ChatCompletionChunk> chunks = encoder.encode(event);
      for (int i = 0; i < chunks.size(); i++) {
        frame(chunks.get(i), out);
      }
    }

    @Override
    public void finish(Usage usage, Cost cost, JsonNode routingMetadata, Consumer<byte[]> out) {
      ChatCompletionChunk chunk = encoder.usageChunk(UsageMapper.toApi(usage, cost));
      if (routingMetadata != null) {
        chunk = chunk.withExtra(METADATA, routingMetadata);
      }
      frame(chunk, out);
      out.accept(SseWriter.done());
    }

    @Override
    public void debug(JsonNode upstreamBody, Consumer<byte[]> out) {
      frame(encoder.debugChunk(upstreamBody), out);
    }

    @Override
    public void error(GatewayError error, Consumer<byte[]> out) {
      frame(encoder.errorChunk(ErrorEnvelope.body(error)), out);
    }

    /**
     * Compact JSON never holds a raw line break, so one data line is always enough and the bytes go
     * out without a second copy.
     */
    private static void frame(ChatCompletionChunk chunk, Consumer<byte[]> out) {
      out.accept(DATA);
      out.accept(ApiJson.bytes(chunk));
      out.accept(END);
    }
  }
}
