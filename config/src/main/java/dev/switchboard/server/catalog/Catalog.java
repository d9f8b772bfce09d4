package dev.switchboard.server.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models the gateway serves, by id, and the providers behind them. Immutable. */
public final class Catalog {

  private final Map<String, ModelEntry> models;
  private final List<ProviderInfo> providers;

  public Catalog(List<ModelEntry> models, List<ProviderInfo> providers) {
    Map<String, ModelEntry> byId = new LinkedHashMap<>();
    for (ModelEntry m : models) {
      byId.put(m.id(), m);
    }
    this.models = Map.copyOf(byId);
    this.providers = List.copyOf(providers);
    this.ordered = List.copyOf(byId.values());
  }

  private final List<ModelEntry> ordered;

  public Optional<ModelEntry> model(String id) {
    return Optional.ofNullable(models.get(id));
  }

  /** All models in catalog order. */
  public Collection<ModelEntry> models() {
    return ordered;
  }

  public List<ProviderInfo> providers() {
    return providers;
  }
}
