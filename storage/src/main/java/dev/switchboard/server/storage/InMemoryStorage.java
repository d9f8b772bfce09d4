package dev.switchboard.server.storage;

import java.time.Clock;

/** {@link Storage} in memory, for tests of other packages. Nothing survives {@link #close()}. */
final class InMemoryStorage implements Storage {

  private final InMemoryKeyStore keys;
  private final InMemoryGenerationStore generations = new InMemoryGenerationStore();

  InMemoryStorage(Clock clock) {
    this.keys = new InMemoryKeyStore(clock);
  }

  @Override
  public KeyStore keys() {
    return keys;
  }

  @Override
  public GenerationStore generations() {
    return generations;
  }

  @Override
  public WriteBehindStats stats() {
    return new WriteBehindStats(
        0,
        generations.recorded() + keys.charges(),
        generations.recorded() + keys.charges(),
        0,
        0,
        0,
        0,
        generations.rejected());
  }

  @Override
  public void close() {
    generations.close();
  }
}
