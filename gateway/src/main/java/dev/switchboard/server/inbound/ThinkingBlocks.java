package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reasoning between the canonical {@code reasoning_details} and Anthropic's {@code thinking} and
 * {@code redacted_thinking} blocks, so that a client of {@code /messages} can send back what it got
 * and every upstream finds its own reasoning state again.
 *
 * <ul>
 *   <li>Details in Anthropic's own format ({@code anthropic-claude-v1}) are Anthropic's blocks
 *       unchanged: {@code reasoning.text} with its signature is a {@code thinking} block, {@code
 *       reasoning.encrypted} a {@code redacted_thinking} block. Sent back, they become the same
 *       details, so an Anthropic upstream receives its signatures as it wrote them.
 *   <li>Other vendors' details (Gemini's thought signatures, OpenAI's encrypted reasoning) have no
 *       Anthropic block. They travel as an opaque token, {@value #PREFIX} followed by the details'
 *       JSON in base64url: the signature of the thinking block whose text they carry, or the {@code
 *       data} of a {@code redacted_thinking} block when they carry no text. Clients keep signatures
 *       and redacted data unchanged (Anthropic requires it), so the details come back exactly as
 *       the upstream gave them.
 *   <li>Reasoning text with no detail at all (an OpenAI-dialect upstream's {@code reasoning}) is a
 *       thinking block with an empty signature; it is not sent back upstream.
 * </ul>
 */
final class ThinkingBlocks {

  /** The format of Anthropic's reasoning details (as the Anthropic adapter writes them). */
  static final String ANTHROPIC_FORMAT = "anthropic-claude-v1";

  /** Marks a signature or redacted data that carries another vendor's reasoning details. */
  static final String PREFIX = "sbrd1.";

  private ThinkingBlocks() {}

  /** One outgoing block: thinking (text and signature) or redacted thinking (data). */
  record Block(boolean redacted, String thinking, String signature, String data) {
    ObjectNode json() {
      ObjectNode node = ApiJson.object();
      if (redacted) {
        node.put("type", "redacted_thinking");
        node.put("data", data);
      } else {
        node.put("type", "thinking");
        node.put("thinking", thinking);
        node.put("signature", signature);
      }
      return node;
    }
  }

  /** The blocks of a whole answer's reasoning. */
  static List<Block> blocks(String reasoning, JsonNode details) {
    if (details == null || !details.isArray() || details.isEmpty()) {
      return reasoning == null || reasoning.isEmpty()
          ? List.of()
          : List.of(new Block(false, reasoning, "", null));
    }
    Map<Object, List<JsonNode>> groups = new LinkedHashMap<>();
    for (JsonNode detail : details) {
      JsonNode index = detail.get("index");
      Object key =
          (index != null && index.isIntegralNumber() ? index.intValue() + ":" : "?" + groups.size())
              + format(detail);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(detail);
    }
    List<Block> out = new ArrayList<>(groups.size());
    for (List<JsonNode> group : groups.values()) {
      out.add(block(group));
    }
    return out;
  }

  /** The block for the details of one reasoning item (same index, same format). */
  static Block block(List<JsonNode> group) {
    StringBuilder text = new StringBuilder();
    String signature = null;
    String data = null;
    boolean encrypted = false;
    for (JsonNode d : group) {
      String t = text(d, "text");
      if (t == null) {
        t = text(d, "summary");
      }
      if (t != null) {
        text.append(t);
      }
      String s = text(d, "signature");
      if (s != null && !s.isEmpty()) {
        signature = s;
      }
      String x = text(d, "data");
      if (x != null && !x.isEmpty()) {
        data = x;
      }
      encrypted |= "reasoning.encrypted".equals(text(d, "type"));
    }
    if (ANTHROPIC_FORMAT.equals(format(group.getFirst()))) {
      if (encrypted && data != null) {
        return new Block(true, null, null, data);
      }
      return new Block(false, text.toString(), signature == null ? "" : signature, null);
    }
    String token = wrap(merged(group));
    return text.isEmpty()
        ? new Block(true, null, null, token)
        : new Block(false, text.toString(), token, null);
  }

  /** Whether a detail is in Anthropic's own format. */
  static boolean anthropic(JsonNode detail) {
    return ANTHROPIC_FORMAT.equals(format(detail));
  }

  /** Details of one item with their text fragments joined, so a token stays small. */
  static ArrayNode merged(List<JsonNode> group) {
    ArrayNode out = ApiJson.nodes().arrayNode();
    ObjectNode last = null;
    for (JsonNode d : group) {
      if (last != null
          && "reasoning.text".equals(text(d, "type"))
          && "reasoning.text".equals(text(last, "type"))
          && text(d, "signature") == null
          && text(last, "signature") == null
          && d.path("index").equals(last.path("index"))) {
        last.put("text", text(last, "text") + (text(d, "text") == null ? "" : text(d, "text")));
        continue;
      }
      last = d.deepCopy();
      out.add(last);
    }
    return out;
  }

  static String wrap(ArrayNode details) {
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(ApiJson.bytes(details));
  }

  /** The details a token carries, or null when {@code value} is not one of ours. */
  static ArrayNode unwrap(String value) {
    if (value == null || !value.startsWith(PREFIX)) {
      return null;
    }
    try {
      byte[] json = Base64.getUrlDecoder().decode(value.substring(PREFIX.length()));
      JsonNode node = ApiJson.tree(new String(json, StandardCharsets.UTF_8));
      return node != null && node.isArray() ? (ArrayNode) node : null;
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
  }

  private static String format(JsonNode detail) {
    String f = text(detail, "format");
    return f == null ? "" : f;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  /** An assistant turn's thinking blocks, in order, back to {@code reasoning} and details. */
  static final class Reader {
    private final ArrayNode details = ApiJson.nodes().arrayNode();
    private final StringBuilder text = new StringBuilder();
    private int index;

    void thinking(String thinking, String signature) {
      text.append(thinking);
      ArrayNode carried = unwrap(signature);
      if (carried != null) {
        details.addAll(carried);
        return;
      }
      ObjectNode d = details.addObject();
      d.put("type", "reasoning.text");
      d.put("text", thinking);
      if (signature != null && !signature.isEmpty()) {
        d.put("signature", signature);
      }
      d.put("format", ANTHROPIC_FORMAT);
      d.put("index", index++);
    }

    void redacted(String data) {
      ArrayNode carried = unwrap(data);
      if (carried != null) {
        details.addAll(carried);
        return;
      }
      ObjectNode d = details.addObject();
      d.put("type", "reasoning.encrypted");
      d.put("data", data);
      d.put("format", ANTHROPIC_FORMAT);
      d.put("index", index++);
    }

    String text() {
      return text.isEmpty() ? null : text.toString();
    }

    JsonNode details() {
      return details.isEmpty() ? null : details;
    }
  }
}
