package dev.switchboard.client.internal;

import java.time.Duration;

/** Waits between retries; tests substitute one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  Sleeper SYSTEM = d -> Thread.sleep(d);

  void sleep(Duration duration) throws InterruptedException;
}
