package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.pipeline.Plugins;
import dev.switchboard.server.routing.Candidate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The gateway's {@link Plugins}: the ids of the request's {@code plugins} array and their handlers,
 * the steps that run before admission (presets, routers), and the request fields that belong to a
 * feature this gateway does not have yet.
 *
 * <p>Nothing is accepted and ignored: an unknown plugin id is a 400 naming it, a documented plugin
 * that is not built a 501 naming it ({@link NotBuilt}), and so is a top-level field of such a
 * feature ({@link #notBuiltField}). The {@code :online} variant asks for the {@code web} plugin, as
 * OpenRouter defines it. Plugins run in the order they were added here, whatever the order of the
 * request's array.
 */
public final class PluginRegistry implements Plugins {

  /** A step between decode and admission (a preset, a router): the request to admit. */
  @FunctionalInterface
  public interface Prepare {
    CompletionStage<LlmRequest> apply(Exchange ex, LlmRequest request);
  }

  private final Map<String, Plugin> byId = new LinkedHashMap<>();
  private final Map<String, String> notBuiltFields = new LinkedHashMap<>();
  private final List<Prepare> prepares = new ArrayList<>();
  private final List<Plugin> always = new ArrayList<>();
  private final List<java.util.function.BiFunction<Exchange, LlmRequest, LlmRequest>> attemptSteps =
      new ArrayList<>();

  /** Registers {@code plugin} under {@code id}; a later registration of the same id replaces it. */
  public PluginRegistry add(String id, Plugin plugin) {
    byId.put(id, plugin);
    return this;
  }

  /** Registers a documented plugin that is not built: asking for it is a 501 naming it. */
  public PluginRegistry notBuilt(String id, String what) {
    return add(id, new NotBuilt(id, what));
  }

  /**
   * Adds a plugin that is not an id of the {@code plugins} array and runs for every request after
   * the array's plugins (response caching, asked for by a header).
   */
  public PluginRegistry always(Plugin plugin) {
    always.add(plugin);
    return this;
  }

  /** A top-level request field of a feature that is not built: sending it is a 501 naming it. */
  public PluginRegistry notBuiltField(String field, String what) {
    notBuiltFields.put(field, what);
    return this;
  }

  /** Adds a step that runs between decode and admission, after the steps added before it. */
  public PluginRegistry prepare(Prepare step) {
    prepares.add(step);
    return this;
  }

  /** Adds a step every attempt's request passes after the plugins (the user field's hash). */
  public PluginRegistry everyAttempt(
      java.util.function.BiFunction<Exchange, LlmRequest, LlmRequest> step) {
    attemptSteps.add(step);
    return this;
  }

  /** The registered ids, in order. */
  public Set<String> ids() {
    return byId.keySet();
  }

  @Override
  public CompletionStage<LlmRequest> beforeAdmission(Exchange ex) {
    CompletionStage<LlmRequest> out = CompletableFuture.completedFuture(ex.request());
    for (Prepare step : prepares) {
      out = then(out, r -> step.apply(ex, r));
    }
    return out;
  }

  @Override
  public dev.switchboard.server.pipeline.Replay replay(Exchange ex) {
    return ex.note(dev.switchboard.server.pipeline.Replay.class);
  }

  @Override
  public void finished(Exchange ex) {
    for (Active a : active(ex)) {
      a.plugin().finished(ex, a.item());
    }
  }

  @Override
  public CompletionStage<LlmRequest> beforeModel(Exchange ex) {
    List<Active> active;
    try {
      active = activate(ex.request());
    } catch (GatewayException e) {
      return CompletableFuture.failedFuture(e);
    }
    ex.note(ActivePlugins.class, new ActivePlugins(active));
    CompletionStage<LlmRequest> out = CompletableFuture.completedFuture(ex.request());
    for (Active a : active) {
      out = then(out, r -> a.plugin().beforeModel(ex, r, a.item()));
    }
    return out;
  }

  @Override
  public LlmRequest forCandidate(Exchange ex, Candidate candidate, LlmRequest request) {
    LlmRequest out = request;
    for (Active a : active(ex)) {
      out = a.plugin().forCandidate(ex, candidate, out, a.item());
    }
    for (var step : attemptSteps) {
      out = step.apply(ex, out);
    }
    return out;
  }

  @Override
  public CompletionStage<LlmResponse> afterModel(Exchange ex, LlmResponse answer) {
    CompletionStage<LlmResponse> out = CompletableFuture.completedFuture(answer);
    for (Active a : active(ex)) {
      out = then(out, r -> a.plugin().afterModel(ex, r, a.item()));
    }
    return out;
  }

  @Override
  public void afterModel(Exchange ex, StreamEvent event, Consumer<StreamEvent> out) {
    List<Active> active = active(ex);
    chain(ex, active, 0, event, out);
  }

  /**
   * {@code next} on what {@code prev} completes with: at once when it has already completed
   * normally (every step that did not wait: no stage objects per step and plugin), else when it
   * completes. A step that throws fails the result, as it would in {@code thenCompose}.
   */
  private static <T> CompletionStage<T> then(
      CompletionStage<T> prev, java.util.function.Function<T, CompletionStage<T>> next) {
    if (prev instanceof CompletableFuture<T> f && f.isDone() && !f.isCompletedExceptionally()) {
      try {
        return next.apply(f.join());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return prev.thenCompose(next);
  }

  private static void chain(
      Exchange ex, List<Active> active, int i, StreamEvent event, Consumer<StreamEvent> out) {
    if (i == active.size()) {
      out.accept(event);
      return;
    }
    Active a = active.get(i);
    a.plugin().afterModel(ex, event, e -> chain(ex, active, i + 1, e, out), a.item());
  }

  private static List<Active> active(Exchange ex) {
    ActivePlugins a = ex.note(ActivePlugins.class);
    return a == null ? List.of() : a.list();
  }

  /** The plugins that run for {@code request}, in registration order, each with its item. */
  List<Active> activate(LlmRequest request) {
    for (Map.Entry<String, String> f : notBuiltFields.entrySet()) {
      JsonNode value = request.vendorFields().get(f.getKey());
      if (value != null && !value.isNull()) {
        throw NotBuilt.notImplemented(
            "\""
                + f.getKey()
                + "\" ("
                + f.getValue()
                + ") is not available in this gateway yet; remove it from the request");
      }
    }
    Map<String, Item> items = items(request.plugins());
    if (!items.containsKey("web") && online(request)) {
      ObjectNode web = JsonNodeFactory.instance.objectNode().put("id", "web");
      items.put("web", new Item("the \":online\" model variant", web, true));
    }
    nativeSearchOptions(request, items);
    for (Map.Entry<String, Item> e : items.entrySet()) {
      Plugin plugin = byId.get(e.getKey());
      if (plugin == null) {
        throw GatewayException.invalid(
            "\""
                + e.getValue().at()
                + ".id\": unknown plugin \""
                + e.getKey()
                + "\" (known: "
                + String.join(", ", byId.keySet())
                + ")");
      }
      if (e.getValue().enabled()) {
        plugin.check(e.getValue().at(), e.getValue().item(), request);
      }
    }
    List<Active> active = new ArrayList<>();
    for (Map.Entry<String, Plugin> p : byId.entrySet()) {
      Item item = items.get(p.getKey());
      if (p.getValue().runsUnasked() || (item != null && item.enabled())) {
        active.add(new Active(p.getValue(), item == null ? null : item.item()));
      }
    }
    for (Plugin p : always) {
      active.add(new Active(p, null));
    }
    return active;
  }

  /**
   * A request that sends {@code web_search_options} asks for its provider's own search: it runs as
   * the {@code web} plugin's {@code native} engine, so the search is routed to endpoints that have
   * it and charged at their {@code pricing.web_search}, never passed upstream unpriced. With a
   * {@code web} item that chose another engine it is a 400.
   */
  private static void nativeSearchOptions(LlmRequest request, Map<String, Item> items) {
    JsonNode options = request.vendorFields().get("web_search_options");
    if (options == null || options.isNull()) {
      return;
    }
    if (!options.isObject()) {
      throw GatewayException.invalid(
          "\"web_search_options\" must be an object ({search_context_size: low|medium|high})");
    }
    Item web = items.get("web");
    if (web == null) {
      ObjectNode item =
          JsonNodeFactory.instance.objectNode().put("id", "web").put("engine", "native");
      items.put("web", new Item("the \"web_search_options\" field", item, true));
      return;
    }
    JsonNode engine = web.item() == null ? null : web.item().get("engine");
    if (engine == null || engine.isNull()) {
      ObjectNode item =
          web.item() instanceof ObjectNode o
              ? o.deepCopy()
              : JsonNodeFactory.instance.objectNode().put("id", "web");
      item.put("engine", "native");
      items.put("web", new Item(web.at(), item, web.enabled()));
    } else if (!"native".equals(engine.asText())) {
      throw GatewayException.invalid(
          "\"web_search_options\" sets the options of the provider's own web search, and the"
              + " request's web plugin asks for engine \""
              + engine.asText()
              + "\"; remove one of them");
    }
  }

  /** Whether a model of the request asks for web search with the {@code :online} variant. */
  private static boolean online(LlmRequest request) {
    for (String model : request.modelChain()) {
      if (model == null) {
        continue;
      }
      int at = model.indexOf("@preset/");
      String ref = at >= 0 ? model.substring(0, at) : model;
      int colon = ref.indexOf(':');
      if (colon >= 0) {
        for (String v : ref.substring(colon + 1).split(":")) {
          if (v.toLowerCase(Locale.ROOT).equals("online")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The request's {@code plugins} array by id, checked for shape. */
  private static Map<String, Item> items(JsonNode plugins) {
    Map<String, Item> out = new LinkedHashMap<>();
    if (plugins == null || plugins.isNull()) {
      return out;
    }
    if (!plugins.isArray()) {
      throw GatewayException.invalid("\"plugins\" must be an array of {id, …} objects");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < plugins.size(); i++) {
      String at = "plugins[" + i + "]";
      JsonNode item = plugins.get(i);
      if (!item.isObject()) {
        throw GatewayException.invalid("\"" + at + "\" must be an object {id, …}");
      }
      JsonNode id = item.get("id");
      if (id == null || !id.isTextual() || id.textValue().isBlank()) {
        throw GatewayException.invalid("\"" + at + ".id\" is required and must be a string");
      }
      JsonNode enabled = item.get("enabled");
      if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
        throw GatewayException.invalid("\"" + at + ".enabled\" must be a boolean");
      }
      if (!seen.add(id.textValue())) {
        throw GatewayException.invalid(
            "\"" + at + "\": plugin \"" + id.textValue() + "\" is listed twice");
      }
      out.put(id.textValue(), new Item(at, item, enabled == null || enabled.asBoolean(true)));
    }
    return out;
  }

  /**
   * Checks that an item has only {@code id}, {@code enabled} and the given options: a 400 naming
   * the first other key. For the plugins' {@link Plugin#check}.
   */
  public static void allowOnly(String at, JsonNode item, Set<String> options) {
    if (item == null) {
      return;
    }
    for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("id") && !key.equals("enabled") && !options.contains(key)) {
        throw GatewayException.invalid(
            "\""
                + at
                + "."
                + key
                + "\" is not an option of plugin \""
                + item.path("id").asText()
                + "\""
                + (options.isEmpty() ? "" : " (options: " + String.join(", ", options) + ")"));
      }
    }
  }

  private record Item(String at, JsonNode item, boolean enabled) {}

  record Active(Plugin plugin, JsonNode item) {}

  /** What {@link #beforeModel} chose, kept in the exchange for the later stages. */
  record ActivePlugins(List<Active> list) {}
}
