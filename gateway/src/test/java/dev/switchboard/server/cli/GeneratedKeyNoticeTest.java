package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedKeyNoticeTest {

  @TempDir Path dir;
  static final String KEY = "sk-sb-mgmt-v1-" + "a".repeat(64);

  @Test
  void withJsonLogsTheKeyGoesToAnOwnerOnlyFileAndNothingIsPrinted() throws Exception {
    StringWriter printed = new StringWriter();
    GeneratedKeyNotice.announce(KEY, dir, true, new PrintWriter(printed, true));
    assertThat(printed.toString()).isEmpty();
    Path file = dir.resolve(GeneratedKeyNotice.FILE_NAME);
    assertThat(Files.readString(file).trim()).isEqualTo(KEY);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
  }

  @Test
  void onATerminalItIsPrintedOnceAndNoFileIsLeft() {
    StringWriter printed = new StringWriter();
    GeneratedKeyNotice.announce(KEY, dir, false, new PrintWriter(printed, true));
    assertThat(printed.toString()).contains(KEY);
    assertThat(dir.resolve(GeneratedKeyNotice.FILE_NAME)).doesNotExist();
  }

  @Test
  void jsonIsTheLogFormatLogbackSelects() {
    assertThat(GeneratedKeyNotice.jsonLogs("JSON")).isTrue();
    assertThat(GeneratedKeyNotice.jsonLogs("json ")).isTrue();
    assertThat(GeneratedKeyNotice.jsonLogs(null)).isFalse();
    assertThat(GeneratedKeyNotice.jsonLogs("CONSOLE")).isFalse();
  }
}
