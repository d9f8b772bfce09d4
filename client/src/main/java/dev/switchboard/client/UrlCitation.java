package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code url_citation} annotation (web search results, from the {@code web} plugin or the web
 * search server tool). {@code title}, {@code content} and the indexes may be missing.
 */
public record UrlCitation(
    String url, String title, String content, Integer startIndex, Integer endIndex) {

  /** The url citations of an {@code annotations} array; other annotation types are skipped. */
  public static List<UrlCitation> of(JsonNode annotations) {
    if (annotations == null || !annotations.isArray()) {
      return List.of();
    }
    List<UrlCitation> out = new ArrayList<>();
    for (JsonNode a : annotations) {
      if (!"url_citation".equals(a.path("type").asText())) {
        continue;
      }
      JsonNode c = a.path("url_citation");
      out.add(
          new UrlCitation(
              c.path("url").asText(null),
              c.path("title").asText(null),
              c.path("content").asText(null),
              c.path("start_index").canConvertToInt() ? c.get("start_index").asInt() : null,
              c.path("end_index").canConvertToInt() ? c.get("end_index").asInt() : null));
    }
    return List.copyOf(out);
  }
}
