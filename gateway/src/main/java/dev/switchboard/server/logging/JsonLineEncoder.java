package dev.switchboard.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log event, on one line: {@code timestamp}, {@code level}, {@code logger},
 * {@code thread}, {@code node} (the gateway's node id, once set), the formatted {@code message},
 * then the MDC entries and the event's key-value pairs as top-level fields with their types kept
 * (numbers as numbers, booleans as booleans; a null value leaves its field out), then {@code
 * exception} (the stack trace as text) when there is one. A key that repeats a field already
 * written is written once, first come first kept, so every line stays valid JSON with unique names.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final byte[] NEWLINE = {'\n'};

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      Set<String> written = new HashSet<>();
      g.writeStartObject();
      field(g, written, "timestamp", TIMESTAMP.format(event.getInstant()));
      field(g, written, "level", event.getLevel().toString());
      field(g, written, "logger", event.getLoggerName());
      field(g, written, "thread", event.getThreadName());
      field(g, written, "node", NodeId.of(event));
      field(g, written, "message", event.getFormattedMessage());
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        for (Map.Entry<String, String> e : mdc.entrySet()) {
          field(g, written, e.getKey(), e.getValue());
        }
      }
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs != null) {
        for (KeyValuePair kv : pairs) {
          field(g, written, kv.key, kv.value);
        }
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        field(g, written, "exception", ThrowableProxyUtil.asString(thrown));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.writeBytes(NEWLINE);
    return out.toByteArray();
  }

  private static void field(JsonGenerator g, Set<String> written, String name, Object value)
      throws IOException {
    if (name == null || value == null || !written.add(name)) {
      return;
    }
    if (value instanceof Optional<?> o) {
      if (o.isEmpty()) {
        return;
      }
      value = o.get();
    }
    g.writeFieldName(name);
    value(g, value);
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Short s -> g.writeNumber(s);
      case Byte b -> g.writeNumber(b);
      case BigDecimal d -> g.writeNumber(d);
      case BigInteger i -> g.writeNumber(i);
      case Double d when Double.isFinite(d) -> g.writeNumber(d);
      case Float f when Float.isFinite(f) -> g.writeNumber(f);
      case Enum<?> e -> g.writeString(e.name());
      case Map<?, ?> m -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (e.getValue() != null) {
            g.writeFieldName(String.valueOf(e.getKey()));
            value(g, e.getValue());
          }
        }
        g.writeEndObject();
      }
      case Collection<?> c -> {
        g.writeStartArray();
        for (Object o : c) {
          value(g, o);
        }
        g.writeEndArray();
      }
      default -> g.writeString(String.valueOf(v));
    }
  }
}
