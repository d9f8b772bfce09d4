package dev.switchboard.server.routing;

import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.Target;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;

/** One endpoint the attempt loop may try, in order: which model, which endpoint, how to call it. */
public record Candidate(
    ModelEntry model, EndpointEntry endpoint, ProviderAdapter adapter, Target target) {

  public String providerName() {
    return target.providerName();
  }
}
