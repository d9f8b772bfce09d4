package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request's web search results (the {@code web} plugin's and the server tool's), which the
 * answer cites as {@code url_citation} annotations. Confined to the request's event loop.
 */
final class WebSearchState {

  private final Map<String, SearchResult> byUrl = new LinkedHashMap<>();

  void add(List<SearchResult> results) {
    for (SearchResult r : results) {
      byUrl.putIfAbsent(r.url(), r);
    }
  }

  boolean isEmpty() {
    return byUrl.isEmpty();
  }

  List<SearchResult> results() {
    return new ArrayList<>(byUrl.values());
  }

  /**
   * {@code existing} annotations (may be null) followed by one {@code url_citation} per result; the
   * indexes mark where the answer's text names the URL, when it does.
   */
  JsonNode annotations(JsonNode existing, String content) {
    ArrayNode out = ApiJson.mapper().createArrayNode();
    if (existing != null && existing.isArray()) {
      existing.forEach(out::add);
    }
    for (SearchResult r : byUrl.values()) {
      ObjectNode a = out.addObject();
      a.put("type", "url_citation");
      ObjectNode c = a.putObject("url_citation");
      c.put("url", r.url());
      c.put("title", r.title());
      c.put("content", r.content());
      int at = content == null ? -1 : content.indexOf(r.url());
      if (at >= 0) {
        c.put("start_index", at);
        c.put("end_index", at + r.url().length());
      }
    }
    return out;
  }
}
