package dev.switchboard.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a generated management key to the operator once, and never to a log: on a terminal
 * (plain-text logs) it is printed; with JSON logs, whose standard output is usually collected, it
 * goes to a file readable by its owner only and the log says where.
 */
final class GeneratedKeyNotice {

  /** The file, inside the data folder, that holds a generated key when logs are JSON. */
  static final String FILE_NAME = "generated-management-key.txt";

  private static final Logger log = LoggerFactory.getLogger(GeneratedKeyNotice.class);

  private GeneratedKeyNotice() {}

  /** True when {@code SWITCHBOARD_LOG_FORMAT} selects JSON lines (logback.xml). */
  static boolean jsonLogs(String logFormat) {
    return "JSON".equalsIgnoreCase(logFormat == null ? null : logFormat.trim());
  }

  static void announce(String key, Path dataDir, boolean jsonLogs, PrintWriter out) {
    if (!jsonLogs) {
      out.println();
      out.println("A management key was generated. It is shown once; store it now:");
      out.println("  " + key);
      out.println("(set SWITCHBOARD_MASTER_KEY to choose your own)");
      out.println();
      return;
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file); // not a POSIX file system
      }
      Files.writeString(file, key + System.lineSeparator(), StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the generated management key to " + file, e);
    }
    log.atWarn()
        .addKeyValue("file", file.toAbsolutePath().normalize().toString())
        .log(
            "A management key was generated; it is in the file named here, readable by this user"
                + " only. Store it elsewhere and delete the file.");
  }
}
