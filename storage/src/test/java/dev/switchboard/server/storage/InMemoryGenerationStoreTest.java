package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryGenerationStoreTest {

  static final String KEY_HASH = Keys.hash("sk-sb-v1-memory");

  @Test
  void findsARecordRightAfterRecordingIt() {
    try (Storage storage = Storage.inMemory()) {
      GenerationRecord record = Generations.full("gen-mem", KEY_HASH, Instant.now());

      storage.generations().record(record);

      assertThat(storage.generations().find("gen-mem")).contains(record);
      assertThat(storage.generations().find("gen-other")).isEmpty();
    }
  }

  @Test
  void rejectsRecordsAfterCloseAndCountsThem() {
    Storage storage = Storage.inMemory();
    storage.close();

    storage.generations().record(Generations.minimal("gen-late", KEY_HASH, Instant.now()));

    assertThat(storage.generations().find("gen-late")).isEmpty();
    assertThat(storage.stats().rejected()).isEqualTo(1);
    storage.close();
  }
}
