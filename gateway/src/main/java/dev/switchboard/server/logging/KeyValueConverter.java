package dev.switchboard.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * {@code %kv} in text logs: {@code node=…} (the gateway's node id, once set), then the event's
 * key-value pairs as {@code key=value}, numbers and booleans bare, text quoted only when it holds a
 * blank, a quote or an equals sign; a null value leaves its pair out (logback's own {@code %kvp}
 * would print {@code key="null"}).
 */
public final class KeyValueConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    String node = NodeId.of(event);
    // Sized for a generation or access line's pairs (about 250 characters): no regrowth copies.
    StringBuilder out = new StringBuilder(384);
    if (node != null) {
      out.append("node=").append(node);
    }
    if (pairs == null || pairs.isEmpty()) {
      return out.toString();
    }
    for (KeyValuePair kv : pairs) {
      if (kv.value == null) {
        continue;
      }
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(kv.key).append('=');
      String text =
          kv.value instanceof java.math.BigDecimal d ? d.toPlainString() : kv.value.toString();
      if (kv.value instanceof Number || kv.value instanceof Boolean || !needsQuotes(text)) {
        out.append(text);
      } else {
        out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return out.toString();
  }

  private static boolean needsQuotes(String text) {
    if (text.isEmpty()) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == '"' || c == '=') {
        return true;
      }
    }
    return false;
  }
}
