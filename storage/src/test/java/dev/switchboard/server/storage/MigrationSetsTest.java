package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every schema change exists for both engines, under the same version and name. */
class MigrationSetsTest {

  @Test
  void everySqliteMigrationHasItsPostgresqlTwinAndTheOtherWayRound() throws Exception {
    List<String> sqlite = names("db/migration/sqlite");
    List<String> postgres = names("db/migration/postgresql");
    assertThat(sqlite).isNotEmpty().containsExactlyElementsOf(postgres);
  }

  private static List<String> names(String folder) throws IOException, URISyntaxException {
    Path dir = Path.of(MigrationSetsTest.class.getClassLoader().getResource(folder).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
