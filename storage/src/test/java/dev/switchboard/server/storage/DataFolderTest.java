package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The data folder: one gateway at a time, owner-only permissions, a clear error when unusable. */
class DataFolderTest {

  @TempDir Path dir;

  @Test
  void aSecondOpenOfTheSameFolderFailsUntilTheFirstIsClosed() {
    Path data = dir.resolve("data");
    Storage first = Storage.sqlite(data);
    try {
      // Also when the folder is spelt differently.
      for (Path same : List.of(data, dir.resolve("data/../data"))) {
        assertThatThrownBy(() -> Storage.sqlite(same))
            .isInstanceOfSatisfying(
                DataFolderException.class,
                e -> {
                  assertThat(e.problem()).isEqualTo(DataFolderException.Problem.IN_USE);
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "data folder "
                              + data.toAbsolutePath()
                              + " is in use by another Switchboard gateway (pid "
                              + ProcessHandle.current().pid()
                              + ")");
                });
      }
      first.keys().create(NewKey.of(Keys.generateInferenceKey(), "still", KeyKind.INFERENCE));
    } finally {
      first.close();
    }
    try (Storage again = Storage.sqlite(data)) {
      assertThat(again.keys().list(0, 10, true)).hasSize(1);
    }
  }

  @Test
  void theFolderIsOwnerOnlyAndSoAreTheDatabaseItsJournalsAndTheLock() throws IOException {
    assumePosix();
    Path data = dir.resolve("nested/data");
    try (Storage storage = Storage.sqlite(data)) {
      storage.keys().create(NewKey.of(Keys.generateInferenceKey(), "k", KeyKind.INFERENCE));
      assertThat(permissions(data)).isEqualTo("rwx------");
      for (String name :
          List.of(
              "switchboard.db", "switchboard.db-wal", "switchboard.db-shm", "switchboard.lock")) {
        assertThat(permissions(data.resolve(name))).as(name).isEqualTo("rw-------");
      }
      try (var files = Files.list(data)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .containsExactlyInAnyOrder(
                "switchboard.db", "switchboard.db-wal", "switchboard.db-shm", "switchboard.lock");
      }
    }
  }

  @Test
  void anExistingFolderOpenToOthersIsTightenedWithOneWarning() throws IOException {
    assumePosix();
    Path data = dir.resolve("data");
    Storage.sqlite(data).close();
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        data.resolve("switchboard.db"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(
        data.resolve("switchboard.lock"), PosixFilePermissions.fromString("rw-rw-rw-"));
    Logger logger = (Logger) LoggerFactory.getLogger(DataFolder.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try {
      Storage.sqlite(data).close();
      Storage.sqlite(data).close(); // already tight: nothing more to say

      assertThat(permissions(data)).isEqualTo("rwx------");
      assertThat(permissions(data.resolve("switchboard.db"))).isEqualTo("rw-------");
      assertThat(permissions(data.resolve("switchboard.lock"))).isEqualTo("rw-------");
      List<ILoggingEvent> warnings =
          events.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.getFirst().getFormattedMessage())
          .isEqualTo(
              "Data folder "
                  + data.toAbsolutePath()
                  + " was open to other users; made owner-only: data rwxr-xr-x -> rwx------,"
                  + " switchboard.db rw-r--r-- -> rw-------, switchboard.lock rw-rw-rw- ->"
                  + " rw-------");
    } finally {
      logger.detachAppender(events);
    }
  }

  @Test
  void aFolderThatCannotBeCreatedSaysWhichPathAndWhy() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

    assertThatThrownBy(() -> Storage.sqlite(file.resolve("data")))
        .isInstanceOfSatisfying(
            DataFolderException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(DataFolderException.Problem.NOT_WRITABLE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "cannot use data folder "
                          + file.resolve("data").toAbsolutePath()
                          + ": "
                          + file.toAbsolutePath()
                          + " exists and is not a folder (while creating it)");
            });
  }

  @Test
  void aFolderWithoutWritePermissionSaysPermissionDenied() throws IOException {
    assumePosix();
    assumeThat(System.getProperty("user.name")).as("root may write anywhere").isNotEqualTo("root");
    Path data = Files.createDirectory(dir.resolve("read-only"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-x------"));

    assertThatThrownBy(() -> Storage.sqlite(data))
        .isInstanceOf(DataFolderException.class)
        .hasMessage(
            "cannot use data folder "
                + data.toAbsolutePath()
                + ": permission denied (while creating switchboard.lock)");
  }

  private static void assumePosix() {
    assumeThat(Path.of(".").getFileSystem().supportedFileAttributeViews()).contains("posix");
  }

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
