package dev.switchboard.server.pipeline;

import dev.switchboard.server.routing.AttemptLoop;
import dev.switchboard.server.routing.AttemptPolicy;
import dev.switchboard.server.routing.Scheduler;
import dev.switchboard.server.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stage 6, attempts: the {@link AttemptLoop} (in routing: policy, breakers, retries, hedging) walks
 * the planned candidates, and an {@link AttemptLauncher} runs each attempt's upstream call, the
 * same launch for streamed and whole answers. Completes with how the request ended; a streamed
 * answer has meanwhile gone to the client event by event through the {@link StreamReply}.
 */
final class AttemptStage {

  private final Vertx vertx;
  private final Services services;
  private final UpstreamClient upstream;
  private final Scheduler scheduler;
  private final AttemptPolicy policy;
  private final Plugins plugins;

  AttemptStage(
      Vertx vertx,
      Services services,
      UpstreamClient upstream,
      Scheduler scheduler,
      Plugins plugins) {
    this.vertx = vertx;
    this.plugins = plugins;
    this.services = services;
    this.upstream = upstream;
    this.scheduler = scheduler;
    this.policy =
        new AttemptPolicy(
            services.config().routing().maxRetries(),
            AttemptPolicy.DEFAULT.baseBackoffMs(),
            AttemptPolicy.DEFAULT.maxRetryAfterMs());
  }

  Future<Ending> run(Exchange ex) {
    AttemptLoop loop =
        new AttemptLoop(
            ex.plan(),
            policy,
            services.stats(),
            scheduler,
            () -> ThreadLocalRandom.current().nextDouble(),
            ex.deadlineMs());
    ex.loop(loop);
    return new AttemptLauncher(vertx, services, upstream, ex, loop, plugins).start();
  }
}
