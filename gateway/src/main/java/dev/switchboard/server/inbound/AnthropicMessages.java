package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.sse.SseWriter;
import java.util.function.Function;

/**
 * OpenRouter's {@code POST /messages}: Anthropic's Messages API over every model of the catalog.
 * The key comes from {@code x-api-key} (Anthropic's SDKs) or {@code Authorization: Bearer}; the
 * body is read by {@link MessagesRequestReader}; answers are Anthropic {@code message}s, streams
 * Anthropic's named events ({@link MessagesStream}), errors Anthropic's envelope with OpenRouter's
 * {@code error_type} ({@link MessagesWire}). While a stream waits for its first output, {@code
 * ping} events keep it open. Generation records say {@code api_type: messages}.
 */
public final class AnthropicMessages implements InboundDialect {

  public static final AnthropicMessages INSTANCE = new AnthropicMessages();

  private static final byte[] PING = SseWriter.event("ping", "{\"type\":\"ping\"}");

  private AnthropicMessages() {}

  @Override
  public String name() {
    return "anthropic-messages";
  }

  @Override
  public String apiType() {
    return "messages";
  }

  @Override
  public String credential(Function<String, String> headers) {
    String key = headers.apply("x-api-key");
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    return Authenticator.bearer(headers.apply("authorization"));
  }

  @Override
  public LlmRequest decode(byte[] body) {
    return MessagesRequestReader.read(body, name -> null);
  }

  @Override
  public LlmRequest decode(byte[] body, Function<String, String> headers) {
    return MessagesRequestReader.read(body, headers);
  }

  @Override
  public byte[] encodeBody(
      LlmResponse answer, Stamp stamp, Usage usage, Cost cost, JsonNode routingMetadata) {
    return ApiJson.bytes(MessagesWire.message(answer, stamp, usage, cost, routingMetadata));
  }

  @Override
  public byte[] encodeError(GatewayError error, JsonNode routingMetadata) {
    return ApiJson.bytes(MessagesWire.error(error, routingMetadata));
  }

  @Override
  public StreamEncoder newStreamEncoder(Stamp stamp) {
    return new MessagesStream(stamp);
  }

  @Override
  public byte[] keepalive() {
    return PING;
  }
}
