package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolChoice;
import dev.switchboard.core.model.ToolSpec;
import dev.switchboard.server.pipeline.Exchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Server tools (reference section 8) run by the gateway in its own loop: {@code
 * openrouter:web_search}, {@code openrouter:web_fetch} and {@code openrouter:datetime}. Before the
 * model, each is offered as a function tool ({@code web_search(query)}, {@code web_fetch(url)},
 * {@code datetime()}); when the model's whole answer calls only such tools, the gateway runs them,
 * appends the call and the results to the conversation and asks the model again ({@link
 * #nextRound}), until it answers, calls a client tool, or the budget is spent: {@code
 * max_tool_calls} (default and most 30) tool calls and {@code plugins.server-tools.max-rounds}
 * model calls, the last of which is asked to answer ({@code tool_choice: none}).
 */
final class ServerTools {

  static final int MAX_TOOL_CALLS = 30;

  /** What one request's server tools are: by function name, their type and settings. */
  static final class State {
    final Map<String, ToolSpec> byFunction = new LinkedHashMap<>();
    int maxToolCalls = MAX_TOOL_CALLS;
    int executed;
    int rounds;
  }

  private final PluginServices services;

  ServerTools(PluginServices services) {
    this.services = services;
  }

  /** The request with its server tools offered as function tools (unchanged when it has none). */
  LlmRequest beforeModel(Exchange ex, LlmRequest request) {
    JsonNode maxCalls = request.vendorFields().get("max_tool_calls");
    if (request.vendorFields().containsKey("stop_server_tools_when")) {
      throw new GatewayException(
          GatewayError.of(
              FailureClass.INVALID_REQUEST,
              501,
              "\"stop_server_tools_when\" is not built in this gateway; use \"max_tool_calls\""));
    }
    boolean any = false;
    for (ToolSpec t : request.tools()) {
      any |= t.server();
    }
    Map<String, JsonNode> vendor = request.vendorFields();
    if (maxCalls != null) {
      vendor = new HashMap<>(vendor);
      vendor.remove("max_tool_calls");
    }
    if (!any) {
      if (maxCalls != null && !maxCalls.isNull()) {
        checkMaxCalls(maxCalls);
        return request.withVendorFields(vendor);
      }
      return request;
    }
    if (request.stream()) {
      // Each round must be whole for the loop to see its tool calls; the client still gets a
      // stream, of the final answer.
      ex.replayAsStream();
      request = request.withStream(false);
    }
    State state = ex.pluginState(State.class, State::new);
    if (maxCalls != null && !maxCalls.isNull()) {
      state.maxToolCalls = checkMaxCalls(maxCalls);
    }
    List<ToolSpec> tools = new ArrayList<>();
    for (ToolSpec t : request.tools()) {
      if (!t.server()) {
        tools.add(t);
        continue;
      }
      checkSettings(t);
      ToolSpec fn = function(t);
      if (request.tools().stream().anyMatch(o -> !o.server() && o.name().equals(fn.name()))) {
        throw GatewayException.invalid(
            "\"tools\" has a function named \""
                + fn.name()
                + "\" and the server tool "
                + t.name()
                + ", which the model sees under that name; rename the function");
      }
      state.byFunction.put(fn.name(), t);
      tools.add(fn);
    }
    ToolChoice choice = request.toolChoice();
    if (choice != null
        && choice.mode() == ToolChoice.Mode.FUNCTION
        && choice.functionName().startsWith(ToolSpec.SERVER_PREFIX)) {
      choice = ToolChoice.function(functionName(choice.functionName()));
    }
    return request.withTools(tools, choice).withVendorFields(vendor);
  }

  /**
   * A server tool's {@code parameters}: what this gateway acts on ({@code web_search}'s {@code
   * max_results}, {@code engine} {@code exa} or {@code auto}); any other setting is refused (501),
   * never ignored.
   */
  private static void checkSettings(ToolSpec tool) {
    JsonNode settings = tool.parameters();
    if (settings == null) {
      return;
    }
    var names = settings.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      JsonNode value = settings.get(name);
      boolean search = tool.name().equals("openrouter:web_search");
      if (search && name.equals("max_results")) {
        if (!value.isIntegralNumber()
            || value.intValue() < 1
            || value.intValue() > WebPlugin.MAX_RESULTS) {
          throw GatewayException.invalid(
              "\""
                  + tool.name()
                  + ".parameters.max_results\" must be an integer from 1 to "
                  + WebPlugin.MAX_RESULTS);
        }
      } else if (search
          && name.equals("engine")
          && (value.asText().equals("exa") || value.asText().equals("auto"))) {
        continue;
      } else {
        throw new GatewayException(
            GatewayError.of(
                FailureClass.INVALID_REQUEST,
                501,
                "\""
                    + tool.name()
                    + ".parameters."
                    + name
                    + "\" is not built in this gateway"
                    + (search
                        ? "; web_search takes \"max_results\" and \"engine\": \"exa\""
                        : "")));
      }
    }
  }

  private static int checkMaxCalls(JsonNode v) {
    if (!v.isIntegralNumber() || v.intValue() < 1 || v.intValue() > MAX_TOOL_CALLS) {
      throw GatewayException.invalid(
          "\"max_tool_calls\" must be an integer from 1 to " + MAX_TOOL_CALLS);
    }
    return v.intValue();
  }

  /**
   * The next model round after {@code answer}, or null (completed) when the answer goes to the
   * client.
   */
  CompletionStage<LlmRequest> nextRound(Exchange ex, LlmRequest request, LlmResponse answer) {
    State state = ex.pluginState(State.class);
    List<ToolCall> calls = answer.toolCalls();
    if (state == null
        || state.byFunction.isEmpty()
        || calls.isEmpty()
        || !calls.stream().allMatch(c -> state.byFunction.containsKey(c.name()))) {
      return CompletableFuture.completedFuture(null);
    }
    state.rounds++;
    List<CompletableFuture<String>> results = new ArrayList<>();
    int run = 0;
    int searches = 0;
    for (ToolCall call : calls) {
      if (state.executed >= state.maxToolCalls) {
        results.add(
            CompletableFuture.completedFuture(
                error(
                    "the server tool budget (max_tool_calls "
                        + state.maxToolCalls
                        + ") is spent")));
        continue;
      }
      state.executed++;
      run++;
      ToolSpec tool = state.byFunction.get(call.name());
      if (tool.name().equals("openrouter:web_search")) {
        searches++;
      }
      results.add(run(ex, tool, call));
    }
    ex.countServerTools(calls.size(), run, searches);
    boolean last =
        state.rounds + 1 >= services.config.serverTools().maxRounds()
            || state.executed >= state.maxToolCalls;
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<Message> messages = new ArrayList<>(request.messages());
              messages.add(
                  new Message.Assistant(
                      answer.content() == null || answer.content().isEmpty()
                          ? List.of()
                          : List.of(ContentPart.Text.of(answer.content())),
                      null,
                      calls,
                      null,
                      null,
                      null,
                      null));
              for (int i = 0; i < calls.size(); i++) {
                messages.add(
                    new Message.Tool(
                        calls.get(i).id(), List.of(ContentPart.Text.of(results.get(i).join()))));
              }
              LlmRequest next = request.withMessages(messages);
              return last ? next.withTools(next.tools(), ToolChoice.NONE) : next;
            });
  }

  /**
   * The most the server tools {@code answer} calls can add in fees when {@link #nextRound} runs
   * them: each web search that the {@code max_tool_calls} budget lets run, at its {@code
   * max_results} times the price per result. Zero when the answer goes to the client.
   */
  java.math.BigDecimal feesAtMost(Exchange ex, LlmResponse answer) {
    State state = ex.pluginState(State.class);
    List<ToolCall> calls = answer.toolCalls();
    if (state == null
        || state.byFunction.isEmpty()
        || calls.isEmpty()
        || !calls.stream().allMatch(c -> state.byFunction.containsKey(c.name()))) {
      return java.math.BigDecimal.ZERO;
    }
    long results = 0;
    int left = state.maxToolCalls - state.executed;
    for (ToolCall call : calls) {
      if (left-- <= 0) {
        break;
      }
      ToolSpec tool = state.byFunction.get(call.name());
      if (tool.name().equals("openrouter:web_search")) {
        results += maxResults(tool);
      }
    }
    return services.config.web().pricePerResult().multiply(java.math.BigDecimal.valueOf(results));
  }

  private static int maxResults(ToolSpec tool) {
    return tool.parameters() == null
        ? WebPlugin.DEFAULT_MAX_RESULTS
        : tool.parameters().path("max_results").asInt(WebPlugin.DEFAULT_MAX_RESULTS);
  }

  private CompletableFuture<String> run(Exchange ex, ToolSpec tool, ToolCall call) {
    JsonNode args;
    try {
      args =
          call.arguments() == null || call.arguments().isBlank()
              ? ApiJson.object()
              : ApiJson.mapper().readTree(call.arguments());
    } catch (Exception e) {
      return CompletableFuture.completedFuture(error("the arguments are not valid JSON"));
    }
    CompletableFuture<String> result =
        switch (tool.name()) {
          case "openrouter:datetime" -> CompletableFuture.completedFuture(datetime());
          case "openrouter:web_search" -> search(ex, tool, args);
          case "openrouter:web_fetch" -> fetch(args);
          default -> CompletableFuture.completedFuture(error("unknown server tool"));
        };
    // A tool that fails tells the model why; the loop goes on.
    return result.exceptionally(
        err -> {
          Throwable cause = err.getCause() != null ? err.getCause() : err;
          String message =
              cause instanceof GatewayException g ? g.error().message() : cause.getMessage();
          return error(message == null ? cause.getClass().getSimpleName() : message);
        });
  }

  private String datetime() {
    Instant now = services.clock.instant();
    ObjectNode out = ApiJson.object();
    out.put("datetime", now.toString());
    out.put("timezone", "UTC");
    out.put("unix", now.getEpochSecond());
    return ApiJson.string(out);
  }

  private CompletableFuture<String> search(Exchange ex, ToolSpec tool, JsonNode args) {
    String query = args.path("query").asText("");
    if (query.isBlank()) {
      return CompletableFuture.completedFuture(error("\"query\" is required"));
    }
    int n = maxResults(tool);
    WebSearchState state = ex.pluginState(WebSearchState.class, WebSearchState::new);
    return services
        .search
        .search(query, n)
        .thenApply(
            results -> {
              state.add(results);
              WebPlugin.charge(ex, services, results.size(), 1);
              ArrayNode out = ApiJson.mapper().createArrayNode();
              for (SearchResult r : results) {
                out.addObject()
                    .put("title", r.title())
                    .put("url", r.url())
                    .put("content", r.content());
              }
              return ApiJson.string(out);
            });
  }

  private CompletableFuture<String> fetch(JsonNode args) {
    String url = args.path("url").asText("");
    if (url.isBlank()) {
      return CompletableFuture.completedFuture(error("\"url\" is required"));
    }
    return services
        .pages
        .fetch(url)
        .thenApply(
            page -> {
              ObjectNode out = ApiJson.object();
              out.put("url", page.url());
              if (page.title() != null) {
                out.put("title", page.title());
              }
              out.put("content", page.text());
              if (page.truncated()) {
                out.put("truncated", true);
              }
              return ApiJson.string(out);
            });
  }

  private static String error(String message) {
    return ApiJson.string(ApiJson.object().put("error", message));
  }

  static String functionName(String type) {
    return type.substring(ToolSpec.SERVER_PREFIX.length());
  }

  private static ToolSpec function(ToolSpec server) {
    String name = functionName(server.name());
    ObjectNode schema = ApiJson.object();
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    String description;
    switch (server.name()) {
      case "openrouter:web_search" -> {
        props.putObject("query").put("type", "string").put("description", "What to search for");
        schema.putArray("required").add("query");
        description = "Search the web; returns result titles, URLs and text";
      }
      case "openrouter:web_fetch" -> {
        props.putObject("url").put("type", "string").put("description", "The http(s) URL");
        schema.putArray("required").add("url");
        description = "Fetch a web page and return its text";
      }
      default -> description = "The current date and time (UTC)";
    }
    return new ToolSpec(name, description, schema, null, null);
  }
}
