package dev.switchboard.server.config;

/** A configuration that cannot be used; the message names the key path and the rule. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
