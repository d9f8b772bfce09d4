package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.config.CatalogReader;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ConfigNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * Turns an OpenRouter {@code GET /api/v1/models} document ({@code {"data": [Model, ...]}}, the
 * shape of the API reference §9.1) into catalog entries the gateway's configuration accepts: one
 * model per entry with one endpoint on the chosen provider. Every entry is checked with the same
 * reader the gateway uses, so what this writes loads; a model that cannot be expressed (no context
 * length, a variable price such as a router's {@code "-1"}) is skipped with the reason.
 */
final class CatalogImport {

  /** Which id the provider knows the model by. */
  enum UpstreamId {
    /** OpenRouter's id as is ({@code openai/gpt-4o}): for OpenRouter itself. */
    ID,
    /** The part after the author ({@code gpt-4o}): for the model author's own API. */
    SLUG,
    /** The Hugging Face id when there is one: for vLLM, Ollama and open-weights hosts. */
    HUGGING_FACE
  }

  /** What to import, and how. */
  record Options(
      String provider,
      UpstreamId upstreamId,
      Pattern match,
      boolean replaceShipped,
      Set<String> shippedIds) {}

  /** The entries, and the models left out with why. */
  record Result(List<ObjectNode> models, List<String> skipped, List<String> replacing) {}

  /** OpenRouter's pricing keys and the catalog's. */
  private static final Map<String, String> PRICES = new LinkedHashMap<>();

  static {
    PRICES.put("prompt", "prompt");
    PRICES.put("completion", "completion");
    PRICES.put("request", "request");
    PRICES.put("image", "image");
    PRICES.put("web_search", "web-search");
    PRICES.put("input_cache_read", "input-cache-read");
    PRICES.put("input_cache_write", "input-cache-write");
    PRICES.put("internal_reasoning", "internal-reasoning");
  }

  private CatalogImport() {}

  static Result convert(JsonNode document, Options options, IntConsumer progress) {
    JsonNode data = document.path("data");
    if (!data.isArray()) {
      throw new CliException(
          "not an OpenRouter models document: expected {\"data\": [models]} at the top level", 2);
    }
    List<ObjectNode> models = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> replacing = new ArrayList<>();
    int i = 0;
    for (JsonNode m : data) {
      progress.accept(i++);
      String id = m.path("id").asText("");
      if (options.match() != null && !options.match().matcher(id).find()) {
        continue;
      }
      if (options.shippedIds().contains(id)) {
        if (!options.replaceShipped()) {
          skipped.add(id + ": already in the shipped catalog (--replace-shipped replaces it)");
          continue;
        }
        replacing.add(id);
      }
      try {
        ObjectNode entry = entry(m, options);
        check(entry);
        models.add(entry);
      } catch (Skip | ConfigException e) {
        skipped.add((id.isEmpty() ? "(no id)" : id) + ": " + e.getMessage());
      }
    }
    progress.accept(i);
    return new Result(models, skipped, replacing);
  }

  private static final class Skip extends RuntimeException {
    Skip(String why) {
      super(why, null, false, false);
    }
  }

  private static ObjectNode entry(JsonNode m, Options options) {
    String id = m.path("id").asText("");
    if (id.isEmpty()) {
      throw new Skip("no id");
    }
    ObjectNode e = ApiJson.object();
    e.put("id", id);
    text(e, "name", m.path("name"));
    if (m.path("canonical_slug").isTextual() && !m.path("canonical_slug").asText().equals(id)) {
      e.put("canonical-slug", m.path("canonical_slug").asText());
    }
    if (m.path("created").canConvertToLong() && m.path("created").asLong() > 0) {
      e.put("created", m.path("created").asLong());
    }
    text(e, "description", m.path("description"));
    long context = m.path("context_length").asLong(0);
    if (context <= 0) {
      context = m.path("top_provider").path("context_length").asLong(0);
    }
    if (context <= 0) {
      throw new Skip("no context length");
    }
    e.put("context-length", context);
    JsonNode arch = m.path("architecture");
    strings(e, "input-modalities", arch.path("input_modalities"));
    strings(e, "output-modalities", arch.path("output_modalities"));
    text(e, "tokenizer", arch.path("tokenizer"));
    text(e, "instruct-type", arch.path("instruct_type"));

    ObjectNode endpoint = ApiJson.object();
    endpoint.put("provider", options.provider());
    endpoint.put("upstream-model", upstreamModel(m, id, options.upstreamId()));
    long maxOut = m.path("top_provider").path("max_completion_tokens").asLong(0);
    if (maxOut > 0) {
      endpoint.put("max-completion-tokens", maxOut);
    }
    strings(endpoint, "supported-parameters", m.path("supported_parameters"));
    endpoint.set("pricing", pricing(m.path("pricing")));
    e.putArray("endpoints").add(endpoint);
    return e;
  }

  private static String upstreamModel(JsonNode m, String id, UpstreamId which) {
    return switch (which) {
      case ID -> id;
      case SLUG -> id.substring(id.indexOf('/') + 1);
      case HUGGING_FACE ->
          m.path("hugging_face_id").isTextual() && !m.path("hugging_face_id").asText().isBlank()
              ? m.path("hugging_face_id").asText()
              : id;
    };
  }

  private static ObjectNode pricing(JsonNode p) {
    if (!p.isObject()) {
      throw new Skip("no pricing");
    }
    ObjectNode out = ApiJson.object();
    for (Map.Entry<String, String> k : PRICES.entrySet()) {
      JsonNode v = p.path(k.getKey());
      boolean required = k.getKey().equals("prompt") || k.getKey().equals("completion");
      if (v.isMissingNode() || v.isNull()) {
        if (required) {
          throw new Skip("no " + k.getKey() + " price");
        }
        continue;
      }
      BigDecimal price;
      try {
        price = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
      } catch (NumberFormatException ex) {
        throw new Skip(k.getKey() + " price \"" + v.asText() + "\" is not a number");
      }
      if (price.signum() < 0) {
        throw new Skip("variable " + k.getKey() + " price (" + v.asText() + "), as a router has");
      }
      if (required || price.signum() > 0) {
        out.put(k.getValue(), price.toPlainString());
      }
    }
    return out;
  }

  /** Reads the entry as the gateway would, so that a bad one is skipped here and not at start. */
  private static void check(ObjectNode entry) {
    ObjectNode wrapper = ApiJson.object();
    wrapper.putArray("models").add(entry);
    CatalogReader.models(ConfigNode.root(wrapper));
  }

  private static void text(ObjectNode e, String key, JsonNode v) {
    if (v.isTextual() && !v.asText().isBlank()) {
      e.put(key, v.asText());
    }
  }

  private static void strings(ObjectNode e, String key, JsonNode v) {
    if (v.isArray() && !v.isEmpty()) {
      ArrayNode a = e.putArray(key);
      v.forEach(x -> a.add(x.asText()));
    }
  }

  // ---- YAML --------------------------------------------------------------------------------

  /**
   * The entries as a configuration file: {@code catalog.models}, in block style, strings in double
   * quotes (JSON's escapes are YAML's), lists of plain values and small maps on one line.
   */
  static String yaml(List<ObjectNode> models, String header) {
    StringBuilder out = new StringBuilder();
    for (String line : header.split("\n")) {
      out.append("# ").append(line).append('\n');
    }
    out.append("catalog:\n  models:\n");
    for (ObjectNode m : models) {
      item(out, m, 4);
      out.append('\n');
    }
    return out.toString();
  }

  /** {@code - key: value} lines of one mapping in a sequence, at {@code indent}. */
  private static void item(StringBuilder out, ObjectNode node, int indent) {
    boolean first = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      out.append(" ".repeat(indent)).append(first ? "- " : "  ");
      first = false;
      field(out, f.getKey(), f.getValue(), indent + 2);
    }
  }

  private static void field(StringBuilder out, String key, JsonNode v, int indent) {
    out.append(key).append(':');
    if (v.isArray() && !v.isEmpty() && v.get(0).isObject()) {
      out.append('\n');
      for (JsonNode x : v) {
        item(out, (ObjectNode) x, indent + 2);
      }
    } else {
      out.append(' ').append(flow(v)).append('\n');
    }
  }

  private static String flow(JsonNode v) {
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(flow(x)));
      return "[" + String.join(", ", parts) + "]";
    }
    if (v.isObject()) {
      List<String> parts = new ArrayList<>();
      v.fields().forEachRemaining(f -> parts.add(f.getKey() + ": " + flow(f.getValue())));
      return "{" + String.join(", ", parts) + "}";
    }
    return v.isTextual() ? ApiJson.string(v.asText()) : v.toString();
  }
}
