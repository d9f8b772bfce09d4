package dev.switchboard.server.storage;

class InMemoryKeyStoreTest extends KeyStoreContract {

  @Override
  Storage open(MutableClock clock) {
    return Storage.inMemory(clock);
  }
}
