package dev.switchboard.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .env} file: {@code NAME=value} lines, an optional {@code export} prefix, {@code #}
 * comments, values in single quotes (taken as is) or double quotes (with {@code \n}, {@code \"} and
 * {@code \\} escapes), unquoted values trimmed and cut at {@code " #"}.
 */
public final class DotEnv {

  private DotEnv() {}

  /** The variables of {@code file}; empty when the file does not exist. */
  public static Map<String, String> read(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      return Map.of();
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String rawLine : text.split("\\R")) {
      String line = rawLine.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      out.put(name, value(value));
    }
    return out;
  }

  private static String value(String v) {
    if (v.length() >= 2 && v.startsWith("'")) {
      int end = v.indexOf('\'', 1);
      return end > 0 ? v.substring(1, end) : v.substring(1);
    }
    if (v.length() >= 2 && v.startsWith("\"")) {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '"') {
          break;
        }
        if (c == '\\' && i + 1 < v.length()) {
          char n = v.charAt(++i);
          sb.append(
              switch (n) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                default -> n;
              });
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
    int comment = v.indexOf(" #");
    return (comment >= 0 ? v.substring(0, comment) : v).strip();
  }
}
