package dev.switchboard.testkit.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server of its own, for tests that stop and start the database under a
 * running gateway: {@code initdb} in a temporary folder, {@code pg_ctl} on a free loopback port,
 * trust auth. It never touches the machine's shared server. As root the server runs as the {@code
 * postgres} user (PostgreSQL refuses root). The binaries are found under {@code
 * /usr/lib/postgresql/<version>/bin}, or {@code SWITCHBOARD_TEST_PG_BIN}.
 */
public final class PrivatePostgres implements AutoCloseable {

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;

  private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Creates and starts a server; {@link #close()} stops it and deletes its folder. */
  public static PrivatePostgres start() {
    try {
      Path bin = findBin();
      Path dir = Files.createTempDirectory("sb-private-pg");
      boolean root = "root".equals(System.getProperty("user.name"));
      if (root) {
        run(List.of("chown", "postgres", dir.toString()), false);
      }
      PrivatePostgres pg = new PrivatePostgres(bin, dir, freePort(), root);
      pg.exec(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              pg.data.toString(),
              "-A",
              "trust",
              "-U",
              "postgres",
              "--no-sync"));
      pg.startServer();
      return pg;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private PostgreSQL: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** A new database on this server. */
  public TestDatabase createDatabase() {
    return TestDatabase.on(host(), port, "postgres");
  }

  /** Stops the server (fast shutdown: clients are disconnected). */
  public void stopServer() {
    exec(List.of(pgCtl(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
  }

  /** Starts it again on the same port. */
  public void startServer() {
    exec(
        List.of(
            pgCtl(),
            "-D",
            data.toString(),
            "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "start"));
  }

  @Override
  public void close() {
    try {
      exec(List.of(pgCtl(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    } catch (RuntimeException alreadyStopped) {
      // stopped by the test
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder
    }
  }

  private String pgCtl() {
    return bin.resolve("pg_ctl").toString();
  }

  private void exec(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full, true);
  }

  private static void run(List<String> command, boolean check) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not finish");
      }
      if (check && p.exitValue() != 0) {
        throw new IllegalStateException(command + " failed (" + p.exitValue() + "):\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Path findBin() throws IOException {
    String env = System.getenv("SWITCHBOARD_TEST_PG_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        var newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                .max(Comparator.comparing(v -> v.getFileName().toString()));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install postgresql, or set"
            + " SWITCHBOARD_TEST_PG_BIN)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
