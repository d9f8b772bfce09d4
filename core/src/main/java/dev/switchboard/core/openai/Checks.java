package dev.switchboard.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.Directives;
import dev.switchboard.core.model.ProviderPreferences;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Small validation helpers of the inbound codec; every failure is a 400 naming the field. */
final class Checks {

  static final int MAX_MODELS = 3;
  static final int MAX_STOP = 4;
  static final int MAX_TOOL_NAME = 64;
  static final int MAX_SESSION_ID = 256;
  static final int MAX_METADATA_PAIRS = 16;
  static final int MAX_METADATA_KEY = 64;
  static final int MAX_METADATA_VALUE = 512;

  /** The reasoning efforts OpenRouter accepts (reference 3.7). */
  static final List<String> EFFORTS =
      List.of("max", "xhigh", "high", "medium", "low", "minimal", "none");

  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final BigDecimal MINUS_TWO = BigDecimal.valueOf(-2);

  private Checks() {}

  static GatewayException invalid(String message) {
    return GatewayException.invalid(message);
  }

  static boolean isNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  static void temperature(BigDecimal value) {
    if (value != null && (value.signum() < 0 || value.compareTo(TWO) > 0)) {
      throw invalid("\"temperature\" must be between 0 and 2");
    }
  }

  static void topP(BigDecimal value) {
    if (value != null && (value.signum() <= 0 || value.compareTo(BigDecimal.ONE) > 0)) {
      throw invalid("\"top_p\" must be greater than 0 and at most 1");
    }
  }

  static void penalty(String field, BigDecimal value) {
    if (value != null && (value.compareTo(MINUS_TWO) < 0 || value.compareTo(TWO) > 0)) {
      throw invalid("\"" + field + "\" must be between -2 and 2");
    }
  }

  static void atLeastOne(String field, Integer value) {
    if (value != null && value < 1) {
      throw invalid("\"" + field + "\" must be at least 1");
    }
  }

  static void nonNegative(String field, Integer value) {
    if (value != null && value < 0) {
      throw invalid("\"" + field + "\" must not be negative");
    }
  }

  static void topLogprobs(Integer value) {
    if (value != null && (value < 0 || value > 20)) {
      throw invalid("\"top_logprobs\" must be between 0 and 20");
    }
  }

  static void sessionId(String value) {
    if (value != null && value.length() > MAX_SESSION_ID) {
      throw invalid("\"session_id\" must be at most " + MAX_SESSION_ID + " characters");
    }
  }

  static void effort(String field, String value) {
    if (value != null && !EFFORTS.contains(value)) {
      throw invalid("\"" + field + "\" must be one of " + String.join(", ", EFFORTS));
    }
  }

  /** {@code stop}: a string, or an array of at most four strings. */
  static List<String> stop(JsonNode stop) {
    if (isNull(stop)) {
      return null;
    }
    if (stop.isTextual()) {
      return List.of(stop.textValue());
    }
    if (!stop.isArray()) {
      throw invalid("\"stop\" must be a string or an array of strings");
    }
    if (stop.size() > MAX_STOP) {
      throw invalid("\"stop\" must have " + MAX_STOP + " items or fewer");
    }
    String[] out = new String[stop.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode item = stop.get(i);
      if (!item.isTextual()) {
        throw invalid("\"stop[" + i + "]\" must be a string");
      }
      out[i] = item.textValue();
    }
    return List.of(out);
  }

  /** {@code metadata}: at most 16 string pairs, keys up to 64 and values up to 512 characters. */
  static JsonNode metadata(JsonNode metadata) {
    if (isNull(metadata)) {
      return null;
    }
    if (!metadata.isObject()) {
      throw invalid("\"metadata\" must be an object of string values");
    }
    if (metadata.size() > MAX_METADATA_PAIRS) {
      throw invalid("\"metadata\" must have " + MAX_METADATA_PAIRS + " pairs or fewer");
    }
    for (Map.Entry<String, JsonNode> field : metadata.properties()) {
      if (field.getKey().length() > MAX_METADATA_KEY) {
        throw invalid("\"metadata\" keys must be at most " + MAX_METADATA_KEY + " characters");
      }
      if (!field.getValue().isTextual()) {
        throw invalid("\"metadata." + field.getKey() + "\" must be a string");
      }
      if (field.getValue().textValue().length() > MAX_METADATA_VALUE) {
        throw invalid(
            "\"metadata."
                + field.getKey()
                + "\" must be at most "
                + MAX_METADATA_VALUE
                + " characters");
      }
    }
    return metadata;
  }

  /** A function name: 1 to 64 characters of {@code [A-Za-z0-9_-]}; no regex on the hot path. */
  static boolean validFunctionName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_TOOL_NAME) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /**
   * {@code usage} and {@code stream_options}: deprecated no-ops on OpenRouter (usage is always
   * reported, streams always end with a usage chunk), accepted as such when they have their shape.
   */
  static void deprecatedNoOps(JsonNode usage, JsonNode streamOptions) {
    if (!isNull(usage)) {
      if (!usage.isObject()) {
        throw invalid("\"usage\" must be an object {include}");
      }
      for (Iterator<String> it = usage.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!key.equals("include")) {
          throw invalid("\"usage." + key + "\" is not a usage option (only \"include\")");
        }
      }
      if (usage.has("include") && !usage.get("include").isBoolean()) {
        throw invalid("\"usage.include\" must be a boolean");
      }
    }
    if (!isNull(streamOptions)) {
      if (!streamOptions.isObject()) {
        throw invalid("\"stream_options\" must be an object");
      }
      JsonNode include = streamOptions.get("include_usage");
      if (include != null && !include.isBoolean() && !include.isNull()) {
        throw invalid("\"stream_options.include_usage\" must be a boolean");
      }
    }
  }

  /**
   * The gateway's own directives: {@code transforms}, {@code debug} and {@code preset} (taken out
   * of {@code extra}, so that it never goes upstream).
   */
  static Directives directives(JsonNode transforms, JsonNode debug, Map<String, JsonNode> extra) {
    List<String> list = null;
    if (!isNull(transforms)) {
      if (!transforms.isArray()) {
        throw invalid("\"transforms\" must be an array of strings");
      }
      list = new ArrayList<>();
      for (int i = 0; i < transforms.size(); i++) {
        JsonNode t = transforms.get(i);
        if (!t.isTextual() || !t.textValue().equals("middle-out")) {
          throw invalid(
              "\"transforms["
                  + i
                  + "]\" must be \"middle-out\" (the only transform; it is the"
                  + " context-compression plugin)");
        }
        list.add(t.textValue());
      }
    }
    boolean echo = false;
    if (!isNull(debug)) {
      if (!debug.isObject()) {
        throw invalid("\"debug\" must be an object {echo_upstream_body}");
      }
      for (Iterator<String> it = debug.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!key.equals("echo_upstream_body")) {
          throw invalid(
              "\"debug." + key + "\" is not a debug option (only \"echo_upstream_body\")");
        }
      }
      JsonNode e = debug.get("echo_upstream_body");
      if (e != null && !e.isNull() && !e.isBoolean()) {
        throw invalid("\"debug.echo_upstream_body\" must be a boolean");
      }
      echo = e != null && e.asBoolean(false);
    }
    String preset = null;
    JsonNode p = extra.remove("preset");
    if (!isNull(p)) {
      if (!p.isTextual() || p.textValue().isBlank()) {
        throw invalid("\"preset\" must be a preset's slug (a non-empty string)");
      }
      preset = p.textValue();
    }
    return new Directives(list, echo, preset);
  }

  /**
   * The deprecated {@code route}: {@code "fallback"} is the default ({@code models} are fallbacks,
   * sorted model by model); {@code "sort"} sorts every model's endpoints together, as {@code
   * provider.sort.partition: "none"} does.
   */
  static ProviderPreferences route(String route, ProviderPreferences p) {
    if (route == null || route.equals("fallback")) {
      return p;
    }
    if (!route.equals("sort")) {
      throw invalid("\"route\" must be \"fallback\" or \"sort\"");
    }
    return new ProviderPreferences(
        p.order(),
        p.allowFallbacks(),
        p.requireParameters(),
        p.dataCollectionDeny(),
        p.zdr(),
        p.only(),
        p.ignore(),
        p.quantizations(),
        p.sort(),
        true,
        p.minThroughput(),
        p.maxLatency(),
        p.maxPrice(),
        p.hedge(),
        p.hedgeDelayMs());
  }
}
