package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One item of {@code reasoning_details}: {@code reasoning.text} (with {@link #text()} and maybe a
 * {@link #signature()}), {@code reasoning.summary} ({@link #summary()}), {@code
 * reasoning.encrypted} ({@link #data()}), or a newer type kept in {@link #json()}. Send them back
 * unchanged on the next turn to keep a model's reasoning (required for Claude tool use).
 */
public record ReasoningDetail(
    String type,
    String text,
    String summary,
    String data,
    String signature,
    String format,
    String id,
    Integer index,
    JsonNode json) {

  /** The details of a {@code reasoning_details} array; empty for null or a non-array. */
  public static List<ReasoningDetail> of(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<ReasoningDetail> out = new ArrayList<>(array.size());
    for (JsonNode d : array) {
      out.add(of1(d));
    }
    return List.copyOf(out);
  }

  static ReasoningDetail of1(JsonNode d) {
    return new ReasoningDetail(
        text(d, "type"),
        text(d, "text"),
        text(d, "summary"),
        text(d, "data"),
        text(d, "signature"),
        text(d, "format"),
        text(d, "id"),
        d.path("index").canConvertToInt() ? d.get("index").asInt() : null,
        d);
  }

  private static String text(JsonNode d, String field) {
    JsonNode v = d.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
