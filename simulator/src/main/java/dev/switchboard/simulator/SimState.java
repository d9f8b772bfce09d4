package dev.switchboard.simulator;

import dev.switchboard.simulator.behavior.Ids;
import dev.switchboard.simulator.behavior.Planner;
import dev.switchboard.simulator.dialect.AnthropicDialect;
import dev.switchboard.simulator.dialect.GeminiDialect;
import dev.switchboard.simulator.dialect.OpenAiDialect;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state one simulator shares between its event loops, its control API and its in-process API:
 * configuration, providers, the planner and the dialects.
 */
final class SimState {

  final SimulatorConfig config;
  final Ids ids;
  final Planner planner;
  final OpenAiDialect openAi;
  final AnthropicDialect anthropic;
  final GeminiDialect gemini;
  final SearchApi search = new SearchApi();
  private final ConcurrentHashMap<String, ProviderState> providers = new ConcurrentHashMap<>();

  SimState(SimulatorConfig config) {
    this.config = config;
    this.ids = new Ids(config.seed());
    this.planner = new Planner(config.seed());
    this.openAi = new OpenAiDialect(ids);
    this.anthropic = new AnthropicDialect(ids);
    this.gemini = new GeminiDialect(ids);
  }

  /** The provider's state, created on first use. */
  ProviderState provider(String name) {
    ProviderState state = providers.get(name);
    return state != null
        ? state
        : providers.computeIfAbsent(name, n -> new ProviderState(n, config.recordedRequests()));
  }

  /** The provider's state if it was ever used or configured, else null. */
  ProviderState existing(String name) {
    return providers.get(name);
  }

  /** Every provider seen so far, by name. */
  Map<String, ProviderState> providers() {
    return new TreeMap<>(providers);
  }

  /**
   * The timing the provider uses unless a request overrides it: set at run time, else configured
   * for the provider, else the default.
   */
  Latency latency(String provider) {
    ProviderState state = providers.get(provider);
    Latency own = state == null ? null : state.latency();
    if (own == null) {
      own = config.providerLatency().get(provider);
    }
    return own != null ? own : config.latency();
  }

  /** Providers with faults queued, and their faults. */
  Map<String, List<Fault>> faults() {
    Map<String, List<Fault>> out = new TreeMap<>();
    providers.forEach(
        (name, state) -> {
          List<Fault> faults = state.faults();
          if (!faults.isEmpty()) {
            out.put(name, faults);
          }
        });
    return out;
  }

  void clearFaults() {
    providers.values().forEach(ProviderState::clearFaults);
  }

  /** The last {@code limit} requests of a provider, oldest first (empty if never called). */
  List<RecordedRequest> requests(String provider, int limit) {
    ProviderState state = providers.get(provider);
    return state == null ? List.of() : state.requests(limit);
  }

  /** Forgets faults, timing overrides, recorded requests and counters; restarts ids. */
  void reset() {
    providers.clear();
    ids.reset();
    search.reset();
  }
}
