package dev.switchboard.server.cli;

import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a CLI command finds the running gateway and, for management commands, the management key.
 *
 * <p>The URL: {@code --url}, else {@code SWITCHBOARD_URL}, else the host and port of the gateway's
 * configuration ({@code --config} or {@code SWITCHBOARD_CONFIG}, then {@code SWITCHBOARD_HOST} and
 * {@code SWITCHBOARD_PORT}), else {@code http://127.0.0.1:8080}. The management key: {@code --key},
 * else {@code SWITCHBOARD_MASTER_KEY}, else the file the gateway writes a generated key to in its
 * data folder ({@value #KEY_FILE}).
 */
public final class GatewayOptions {

  /** The file in the data folder that holds a generated management key (JSON-log starts). */
  static final String KEY_FILE = "generated-management-key.txt";

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The gateway, e.g. http://127.0.0.1:8080 (default: SWITCHBOARD_URL, else the host and"
              + " port of the configuration, else http://127.0.0.1:8080).")
  String url;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The gateway's YAML configuration, to find its address and data folder.")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The gateway's data folder, where a generated management key may be stored.")
  Path dataDir;

  /** The environment; tests give their own. */
  Map<String, String> env = System.getenv();

  /** The API base, ending in {@code /api/v1} unless the URL names {@code /v1} itself. */
  URI apiBase() {
    String raw = first(url, env.get("SWITCHBOARD_URL"));
    if (raw == null) {
      GatewayConfig cfg = config();
      String host = cfg.server().host();
      if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
        host = "127.0.0.1";
      }
      if (host.contains(":") && !host.startsWith("[")) {
        host = "[" + host + "]";
      }
      raw = "http://" + host + ":" + cfg.server().port();
    }
    String base = raw.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (!base.startsWith("http://") && !base.startsWith("https://")) {
      throw new CliException("--url must start with http:// or https://, was " + raw, 2);
    }
    if (!base.endsWith("/api/v1") && !base.endsWith("/v1")) {
      base = base + "/api/v1";
    }
    try {
      return URI.create(base + "/");
    } catch (IllegalArgumentException e) {
      throw new CliException("--url is not a valid URL: " + raw, 2);
    }
  }

  /** The management key, from the first of --key, SWITCHBOARD_MASTER_KEY and the key file. */
  String managementKey(String option) {
    String key = first(option, env.get("SWITCHBOARD_MASTER_KEY"));
    if (key != null) {
      return key.strip();
    }
    Path file = dataDir().resolve(KEY_FILE);
    if (Files.isRegularFile(file)) {
      try {
        String stored = Files.readString(file).strip();
        if (!stored.isEmpty()) {
          return stored;
        }
      } catch (IOException e) {
        throw new CliException("cannot read the management key in " + file + ": " + e.getMessage());
      }
    }
    throw new CliException(
        "no management key: pass --key, set SWITCHBOARD_MASTER_KEY, or run where the gateway's"
            + " data folder holds "
            + KEY_FILE
            + " (--data-dir)",
        2);
  }

  private Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    String env = this.env.get("SWITCHBOARD_DATA_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return config().storage().dataDir();
  }

  private GatewayConfig config() {
    Path file = config != null ? config : pathOrNull(env.get("SWITCHBOARD_CONFIG"));
    try {
      return ConfigLoader.load(file, env, ConfigLoader.Overrides.NONE);
    } catch (ConfigException e) {
      throw new CliException(e.getMessage(), 2);
    }
  }

  private static Path pathOrNull(String v) {
    return v == null || v.isBlank() ? null : Path.of(v);
  }

  static String first(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b != null && !b.isBlank() ? b : null;
  }
}
