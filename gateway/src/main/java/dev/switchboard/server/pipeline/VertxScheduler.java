package dev.switchboard.server.pipeline;

import dev.switchboard.server.routing.Scheduler;
import io.vertx.core.Vertx;

/** The attempt loop's clock and timers on Vert.x: timers run on the calling event loop. */
final class VertxScheduler implements Scheduler {

  private final Vertx vertx;

  VertxScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Timer schedule(long delayMs, Runnable task) {
    long id = vertx.setTimer(Math.max(1, delayMs), t -> task.run());
    return () -> vertx.cancelTimer(id);
  }
}
