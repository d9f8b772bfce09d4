package dev.switchboard.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal, for what only makes sense to a person watching (a
 * spinner, progress lines). Java has no call for one stream, so on Linux this reads where the
 * process's descriptor points ({@code /proc/self/fd/N} names a {@code /dev/pts} or {@code /dev/tty}
 * device for a terminal); elsewhere it falls back to {@link System#console()}.
 */
final class Terminal {

  static final int STDIN = 0;
  static final int STDERR = 2;

  private Terminal() {}

  static boolean isTerminal(int fd) {
    Path link = Path.of("/proc/self/fd/" + fd);
    if (Files.isSymbolicLink(link)) {
      try {
        String target = Files.readSymbolicLink(link).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | SecurityException e) {
        return false;
      }
    }
    return System.console() != null;
  }
}
