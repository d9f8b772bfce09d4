package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic Exa-compatible search API ({@code POST /exa/search}) and the pages its results
 * point at ({@code GET /web/:page}), for the gateway's {@code web} plugin and its {@code
 * openrouter:web_search} and {@code openrouter:web_fetch} server tools.
 *
 * <p>Search takes Exa's body ({@code query}, {@code numResults}, default 10, at most 100) and needs
 * an {@code x-api-key} header (401 without, in Exa's error shape). The same query always gives the
 * same results: result {@code i} is {@code https://search.sim/<slug>/<i>}, titled {@code "Result i
 * for <query>"}, with a text that names the query. Pages are small HTML documents whose title and
 * text name the page.
 */
final class SearchApi {

  private final AtomicLong searches = new AtomicLong();

  void mount(Router router) {
    router.post("/exa/search").handler(this::search);
    router.get("/web/:page").handler(SearchApi::page);
  }

  /** Searches served since start or the last reset. */
  long searches() {
    return searches.get();
  }

  void reset() {
    searches.set(0);
  }

  private void search(RoutingContext ctx) {
    String key = ctx.request().getHeader("x-api-key");
    if (key == null || key.isBlank()) {
      ChatHandler.send(
          ctx.response(), 401, "{\"error\":\"Missing or invalid API key (x-api-key)\"}");
      return;
    }
    JsonNode body;
    try {
      body = ApiJson.mapper().readTree(ctx.body().asString());
    } catch (Exception e) {
      body = null;
    }
    if (body == null || !body.path("query").isTextual() || body.get("query").asText().isBlank()) {
      ChatHandler.send(ctx.response(), 400, "{\"error\":\"query is required\"}");
      return;
    }
    searches.incrementAndGet();
    String query = body.get("query").asText();
    int n = Math.max(1, Math.min(100, body.path("numResults").asInt(10)));
    String slug = slug(query);
    ObjectNode out = ApiJson.object();
    out.put("requestId", "sim-" + Integer.toHexString(query.hashCode()));
    out.put("resolvedSearchType", "neural");
    ArrayNode results = out.putArray("results");
    for (int i = 1; i <= n; i++) {
      ObjectNode r = results.addObject();
      String url = "https://search.sim/" + slug + "/" + i;
      r.put("id", url);
      r.put("url", url);
      r.put("title", "Result " + i + " for " + query);
      r.put("publishedDate", "2026-01-0" + (1 + (i - 1) % 9) + "T00:00:00.000Z");
      r.putNull("author");
      r.put(
          "text",
          "Simulated page "
              + i
              + " about "
              + query
              + ". It says what a search for this query would find.");
    }
    out.putObject("costDollars").put("total", "0.005");
    ChatHandler.send(ctx.response(), 200, ApiJson.string(out));
  }

  private static void page(RoutingContext ctx) {
    String page = ctx.pathParam("page");
    ctx.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .end(
            "<!doctype html><html><head><title>Page "
                + escape(page)
                + "</title><style>p{color:red}</style><script>var x = 1;</script></head>"
                + "<body><h1>Page "
                + escape(page)
                + "</h1><p>This is the simulated page &quot;"
                + escape(page)
                + "&quot;.</p></body></html>");
  }

  static String slug(String text) {
    String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    s = s.replaceAll("^-+|-+$", "");
    if (s.length() > 40) {
      s = s.substring(0, 40);
    }
    return s.isEmpty() ? "q" : s;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
