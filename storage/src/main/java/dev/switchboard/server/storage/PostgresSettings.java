package dev.switchboard.server.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach PostgreSQL ({@code storage.kind: postgres}).
 *
 * @param url the JDBC URL, {@code jdbc:postgresql://host:5432/database}
 * @param user the role, or null to take it from the URL
 * @param password the password, or null (trust, or in the URL); never logged
 * @param poolSize most connections this node opens (reads, the writer, the health probe's own)
 * @param connectTimeout how long a connection attempt, or a wait for a pooled one, may take
 */
public record PostgresSettings(
    String url, String user, String password, int poolSize, Duration connectTimeout) {

  public PostgresSettings {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("the URL must start with jdbc:postgresql:");
    }
    if (poolSize < 2) {
      throw new IllegalArgumentException("the pool needs at least 2 connections");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  /** Defaults: 10 connections, 5 s to connect. */
  public static PostgresSettings of(String url, String user, String password) {
    return new PostgresSettings(url, user, password, 10, Duration.ofSeconds(5));
  }

  /** The URL without its query string (which may carry a password). */
  public String safeUrl() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  public String toString() {
    return "PostgresSettings[url="
        + safeUrl()
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "***")
        + ", poolSize="
        + poolSize
        + ", connectTimeout="
        + connectTimeout
        + "]";
  }
}
