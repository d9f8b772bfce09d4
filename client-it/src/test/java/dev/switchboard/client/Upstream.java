package dev.switchboard.client;

import dev.switchboard.api.models.ProviderEntry;
import dev.switchboard.simulator.RecordedRequest;
import java.util.Comparator;
import java.util.Optional;

/** Finds what the gateway sent upstream, in the demo simulator's recorded requests. */
final class Upstream {

  private Upstream() {}

  /** The latest upstream request, of any provider, whose body contains {@code marker}. */
  static Optional<RecordedRequest> find(
      InProcessGateway gw, SwitchboardClient client, String marker) {
    return client.providers().stream()
        .map(ProviderEntry::slug)
        .flatMap(slug -> gw.simulator().requests(slug).stream())
        .filter(r -> r.body() != null && r.body().contains(marker))
        .max(Comparator.comparing(RecordedRequest::receivedAt));
  }
}
