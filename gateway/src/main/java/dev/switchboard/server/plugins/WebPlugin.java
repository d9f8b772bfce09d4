package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.server.pipeline.Exchange;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The {@code web} plugin and the {@code :online} variant (checklist 64, 95-97). Engine {@code
 * native} ({@link NativeWebSearch}): the provider's own search, run by the upstream. Engine {@code
 * exa}: one web search before the model, on the user's last message (the configured Exa-compatible
 * API), its results put before the conversation's last turn with the {@code search_prompt}, and
 * cited in the answer as {@code url_citation} annotations (see {@link WebSearchState}). Each result
 * is charged {@code plugins.web.price-per-result}.
 */
final class WebPlugin implements Plugin {

  static final String ID = "web";
  static final int DEFAULT_MAX_RESULTS = 5;
  static final int MAX_RESULTS = 25;

  private final PluginServices services;

  WebPlugin(PluginServices services) {
    this.services = services;
  }

  /** The search settings of this request ({@code engine} null: OpenRouter's default rule). */
  record Settings(String engine, int maxResults, String searchPrompt) {}

  /** The engine chosen for this request, kept for its attempts and its answer. */
  record Engine(String name) {}

  @Override
  public void check(String at, JsonNode item, LlmRequest request) {
    PluginRegistry.allowOnly(
        at,
        item,
        java.util.Set.of(
            "engine",
            "max_results",
            "search_prompt",
            "include_domains",
            "exclude_domains",
            "mode",
            "max_uses",
            "user_location"));
    settings(item);
  }

  /**
   * The settings of the request's {@code web} item (the registry makes one for {@code :online}).
   */
  static Settings settings(JsonNode item) {
    String engine = PluginOptions.string(item, "engine", "web");
    if (engine != null && !engine.equals("exa") && !engine.equals("native")) {
      throw GatewayException.invalid(
          "\"web.engine\" must be \"native\" or \"exa\" (or unset); \""
              + engine
              + "\" is not available here");
    }
    for (String field :
        List.of("include_domains", "exclude_domains", "mode", "max_uses", "user_location")) {
      if (item != null && item.has(field) && !item.get(field).isNull()) {
        throw new GatewayException(
            GatewayError.of(
                FailureClass.INVALID_REQUEST,
                501,
                "\"web."
                    + field
                    + "\" is not built in this gateway; the web plugin takes"
                    + " \"engine\", \"max_results\" and \"search_prompt\""));
      }
    }
    return new Settings(
        engine,
        PluginOptions.integer(item, "max_results", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS, "web"),
        PluginOptions.string(item, "search_prompt", "web"));
  }

  @Override
  public CompletionStage<LlmRequest> beforeModel(Exchange ex, LlmRequest request, JsonNode item) {
    Settings settings = settings(item);
    String engine = NativeWebSearch.engine(settings.engine(), request, services.catalog);
    ex.note(Engine.class, new Engine(engine));
    ex.webSearchEngine(engine);
    if (engine.equals("native")) {
      return java.util.concurrent.CompletableFuture.completedFuture(request);
    }
    String query = lastUserText(request);
    if (query.isBlank()) {
      throw GatewayException.invalid(
          "The web plugin searches for the last user message, and this request has none with"
              + " text");
    }
    WebSearchState state = ex.pluginState(WebSearchState.class, WebSearchState::new);
    return services
        .search
        .search(query, settings.maxResults())
        .thenApply(
            results -> {
              state.add(results);
              charge(ex, services, results.size(), 1);
              return request.withMessages(inject(request.messages(), prompt(settings), results));
            });
  }

  @Override
  public LlmRequest forCandidate(
      Exchange ex,
      dev.switchboard.server.routing.Candidate candidate,
      LlmRequest request,
      JsonNode item) {
    return native_(ex) ? NativeWebSearch.forCandidate(ex, candidate, request) : request;
  }

  @Override
  public CompletionStage<dev.switchboard.core.model.LlmResponse> afterModel(
      Exchange ex, dev.switchboard.core.model.LlmResponse answer, JsonNode item) {
    if (native_(ex)) {
      NativeWebSearch.answered(ex, answer);
    }
    return java.util.concurrent.CompletableFuture.completedFuture(answer);
  }

  @Override
  public void afterModel(
      Exchange ex,
      dev.switchboard.core.model.StreamEvent event,
      java.util.function.Consumer<dev.switchboard.core.model.StreamEvent> out,
      JsonNode item) {
    if (native_(ex)) {
      NativeWebSearch.streamed(ex, event);
    }
    out.accept(event);
  }

  private static boolean native_(Exchange ex) {
    Engine e = ex.note(Engine.class);
    return e != null && e.name().equals("native");
  }

  /** Bills and counts one search that gave {@code results} results. */
  static void charge(Exchange ex, PluginServices services, int results, int searches) {
    ex.countSearchResults(results);
    BigDecimal fee = services.config.web().pricePerResult().multiply(BigDecimal.valueOf(results));
    if (fee.signum() > 0) {
      ex.addFee("web_search", fee);
    }
  }

  private String prompt(Settings settings) {
    if (settings.searchPrompt() != null) {
      return settings.searchPrompt();
    }
    return "A web search was conducted on "
        + LocalDate.now(services.clock.withZone(ZoneOffset.UTC))
        + ". Incorporate the following web search results into your response.\n\n"
        + "IMPORTANT: Cite them using markdown links named using the domain of the source.\n"
        + "Example: [nytimes.com](https://nytimes.com/some-page).";
  }

  /** The results as a system message just before the last user turn. */
  private static List<Message> inject(
      List<Message> messages, String prompt, List<SearchResult> results) {
    StringBuilder text = new StringBuilder(prompt);
    for (SearchResult r : results) {
      text.append("\n\n[")
          .append(r.title())
          .append("](")
          .append(r.url())
          .append(")\n")
          .append(r.content());
    }
    Message note = new Message.System(List.of(ContentPart.Text.of(text.toString())), null, false);
    List<Message> out = new ArrayList<>(messages);
    int at = out.size();
    for (int i = out.size() - 1; i >= 0; i--) {
      if (out.get(i) instanceof Message.User) {
        at = i;
        break;
      }
    }
    out.add(at, note);
    return out;
  }

  static String lastUserText(LlmRequest request) {
    for (Message m : request.messages().reversed()) {
      if (m instanceof Message.User) {
        return Message.text(m);
      }
    }
    return "";
  }
}
