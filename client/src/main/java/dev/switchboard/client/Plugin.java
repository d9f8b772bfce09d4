package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.util.List;

/**
 * One item of the request's {@code plugins} array (reference §7): {@code {"id":..., options...}}.
 *
 * <pre>{@code
 * Plugin.web().maxResults(3).engine("exa").build()
 * Plugin.fileParser("cloudflare-ai")
 * Plugin.disabled("context-compression")
 * }</pre>
 *
 * @param json the wire object
 */
public record Plugin(JsonNode json) {

  /** The plugin's {@code id}. */
  public String id() {
    return json.path("id").asText();
  }

  /** The {@code web} plugin: a web search before generation, results as url citations. */
  public static Web web() {
    return new Web();
  }

  /**
   * The {@code file-parser} plugin with a PDF engine ({@code native}, {@code mistral-ocr}, ...).
   */
  public static Plugin fileParser(String pdfEngine) {
    ObjectNode node = ApiJson.object().put("id", "file-parser");
    node.set("pdf", ApiJson.object().put("engine", pdfEngine));
    return new Plugin(node);
  }

  /** {@code response-healing}: repairs malformed JSON of non-streaming structured outputs. */
  public static Plugin responseHealing() {
    return new Plugin(ApiJson.object().put("id", "response-healing"));
  }

  /** {@code context-compression} (middle-out). */
  public static Plugin contextCompression() {
    return new Plugin(
        ApiJson.object().put("id", "context-compression").put("engine", "middle-out"));
  }

  /** {@code {"id":id,"enabled":false}}: switches off a plugin the account enables by default. */
  public static Plugin disabled(String id) {
    return new Plugin(ApiJson.object().put("id", id).put("enabled", false));
  }

  /** Any plugin: {@code id} plus {@code options} (an object or a map, serialized as is). */
  public static Plugin of(String id, Object options) {
    ObjectNode node = ApiJson.object().put("id", Checks.requireText(id, "plugin id"));
    if (options != null) {
      JsonNode tree = ApiJson.toTree(options);
      Checks.requireArgument(tree.isObject(), "plugin options must be an object, was %s", tree);
      node.setAll((ObjectNode) tree);
    }
    return new Plugin(node);
  }

  /** Options of the {@code web} plugin. Not thread-safe. */
  public static final class Web {
    private final ObjectNode node = ApiJson.object().put("id", "web");

    private Web() {}

    /** {@code native}, {@code exa}, {@code parallel}, {@code perplexity}, {@code firecrawl}. */
    public Web engine(String engine) {
      node.put("engine", engine);
      return this;
    }

    public Web maxResults(int maxResults) {
      node.put("max_results", maxResults);
      return this;
    }

    public Web searchPrompt(String prompt) {
      node.put("search_prompt", prompt);
      return this;
    }

    public Web includeDomains(String... domains) {
      ArrayNode a = node.putArray("include_domains");
      List.of(domains).forEach(a::add);
      return this;
    }

    public Web excludeDomains(String... domains) {
      ArrayNode a = node.putArray("exclude_domains");
      List.of(domains).forEach(a::add);
      return this;
    }

    public Plugin build() {
      return new Plugin(node.deepCopy());
    }
  }
}
