package dev.switchboard.server.logging;

import java.util.Locale;
import java.util.Map;

/**
 * The two log formats, chosen by {@code SWITCHBOARD_LOG_FORMAT}: {@code text} (the default, for a
 * terminal) or {@code json} (one JSON object per line, for a log collector). logback.xml picks its
 * appender through {@code LogFormatDefiner} (gateway); the config loader refuses any other value.
 * It lives in the config module because the config loader validates the environment with it.
 */
public enum LogFormat {
  TEXT("CONSOLE"),
  JSON("JSON");

  /** The environment variable that selects the format. */
  public static final String ENV = "SWITCHBOARD_LOG_FORMAT";

  /** The environment variable that sets the root level. */
  public static final String LEVEL_ENV = "SWITCHBOARD_LOG_LEVEL";

  private final String appender;

  LogFormat(String appender) {
    this.appender = appender;
  }

  /** The name of the appender in logback.xml that writes this format. */
  public String appender() {
    return appender;
  }

  /** The format {@code value} names (any case, surrounding blanks ignored); text when unset. */
  public static LogFormat parse(String value) {
    if (value == null || value.isBlank()) {
      return TEXT;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default ->
          throw new IllegalArgumentException("must be text or json, was \"" + value.trim() + "\"");
    };
  }

  /** The format this process logs in; an unknown value falls back to text (start-up refuses it). */
  public static LogFormat current() {
    return of(System.getenv());
  }

  static LogFormat of(Map<String, String> env) {
    try {
      return parse(env.get(ENV));
    } catch (IllegalArgumentException e) {
      return TEXT;
    }
  }

  /** Why {@code env} holds an unusable log format or level, or null when both are fine. */
  public static String problem(Map<String, String> env) {
    try {
      parse(env.get(ENV));
    } catch (IllegalArgumentException e) {
      return ENV + ": " + e.getMessage();
    }
    String level = env.get(LEVEL_ENV);
    if (level != null
        && !level.isBlank()
        && !java.util.Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF")
            .contains(level.trim().toUpperCase(Locale.ROOT))) {
      return LEVEL_ENV
          + ": must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, was \""
          + level.trim()
          + "\"";
    }
    return null;
  }
}
