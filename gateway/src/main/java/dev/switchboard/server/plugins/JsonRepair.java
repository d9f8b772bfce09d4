package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;

/**
 * Repairs slightly broken JSON from a model (the {@code response-healing} plugin, reference 7.4):
 * markdown code fences and text around the JSON dropped, single-quoted strings and unquoted keys
 * quoted, trailing commas removed, an unterminated string closed and unclosed brackets closed in
 * the right order. Pure and bounded: one pass over the text, no backtracking.
 */
public final class JsonRepair {

  private JsonRepair() {}

  /** The text as parsed JSON when it already is, else repaired, else null. */
  public static JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    JsonNode direct = tryParse(text.strip());
    if (direct != null) {
      return direct;
    }
    String repaired = repair(text);
    return repaired == null ? null : tryParse(repaired);
  }

  /** The repaired text (not checked), or null when no JSON value starts anywhere in it. */
  static String repair(String text) {
    String s = stripFences(text);
    int start = firstStart(s);
    if (start < 0) {
      return null;
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    StringBuilder stack = new StringBuilder(); // expected closers
    boolean inString = false;
    char quote = '"';
    boolean escaped = false;
    int i = start;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (escaped) {
          escaped = false;
          out.append(c);
        } else if (c == '\\') {
          escaped = true;
          out.append(c);
        } else if (c == quote) {
          inString = false;
          out.append('"');
        } else if (c == '"') {
          out.append("\\\""); // a double quote inside a single-quoted string
        } else if (c == '\n') {
          out.append("\\n");
        } else {
          out.append(c);
        }
        continue;
      }
      switch (c) {
        case '"', '\'' -> {
          inString = true;
          quote = c;
          out.append('"');
        }
        case '{' -> {
          stack.append('}');
          out.append(c);
        }
        case '[' -> {
          stack.append(']');
          out.append(c);
        }
        case '}', ']' -> {
          if (stack.isEmpty()) {
            i = s.length(); // text after the value: dropped
            continue;
          }
          dropTrailingComma(out);
          // Close whatever is still open inside, then this one.
          char expected = stack.charAt(stack.length() - 1);
          while (expected != c && stack.length() > 1) {
            out.append(expected);
            stack.setLength(stack.length() - 1);
            expected = stack.charAt(stack.length() - 1);
          }
          out.append(expected);
          stack.setLength(stack.length() - 1);
          if (stack.isEmpty()) {
            i = s.length(); // the value is complete; what follows is prose
            continue;
          }
        }
        default -> {
          if (isKeyStart(c) && expectsKey(out)) {
            int end = i;
            while (end < s.length() && isKeyPart(s.charAt(end))) {
              end++;
            }
            out.append('"').append(s, i, end).append('"');
            i = end - 1;
          } else {
            out.append(c);
          }
        }
      }
    }
    if (inString) {
      if (escaped) {
        out.setLength(out.length() - 1);
      }
      out.append('"');
    }
    String body = out.toString().stripTrailing();
    out.setLength(0);
    out.append(body);
    // A dangling key or colon at the end: drop it so the object can close.
    dropDangling(out);
    dropTrailingComma(out);
    for (int k = stack.length() - 1; k >= 0; k--) {
      dropTrailingComma(out);
      out.append(stack.charAt(k));
    }
    return out.toString();
  }

  private static String stripFences(String text) {
    String s = text.strip();
    int fence = s.indexOf("```");
    if (fence >= 0) {
      int lineEnd = s.indexOf('\n', fence);
      if (lineEnd > 0) {
        int close = s.indexOf("```", lineEnd);
        s = close > 0 ? s.substring(lineEnd + 1, close) : s.substring(lineEnd + 1);
      }
    }
    return s;
  }

  private static int firstStart(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isKeyStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '$';
  }

  private static boolean isKeyPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-';
  }

  /** Whether the next token is an object key: the last non-space output is '{' or ','. */
  private static boolean expectsKey(StringBuilder out) {
    for (int k = out.length() - 1; k >= 0; k--) {
      char c = out.charAt(k);
      if (!Character.isWhitespace(c)) {
        if (c != '{' && c != ',') {
          return false;
        }
        // ',' inside an array is not a key position: find the innermost open bracket.
        return c == '{' || innermostIsObject(out, k);
      }
    }
    return false;
  }

  private static boolean innermostIsObject(StringBuilder out, int from) {
    int depth = 0;
    boolean inString = false;
    for (int k = from; k >= 0; k--) {
      char c = out.charAt(k);
      if (c == '"' && (k == 0 || out.charAt(k - 1) != '\\')) {
        inString = !inString;
      } else if (!inString) {
        if (c == '}' || c == ']') {
          depth++;
        } else if (c == '{' || c == '[') {
          if (depth == 0) {
            return c == '{';
          }
          depth--;
        }
      }
    }
    return false;
  }

  private static void dropTrailingComma(StringBuilder out) {
    int k = out.length() - 1;
    while (k >= 0 && Character.isWhitespace(out.charAt(k))) {
      k--;
    }
    if (k >= 0 && out.charAt(k) == ',') {
      out.setLength(k);
    }
  }

  /** {@code {"a":1,"b"} } or {@code {"a":1,"b":}}: the unfinished member goes. */
  private static void dropDangling(StringBuilder out) {
    String s = out.toString();
    if (s.endsWith(":")) {
      int keyEnd = s.length() - 1;
      int keyStart = s.lastIndexOf('"', s.lastIndexOf('"', keyEnd - 1) - 1);
      if (keyStart >= 0) {
        out.setLength(keyStart);
      }
    } else if (s.endsWith("\"")) {
      int open = s.lastIndexOf('"', s.length() - 2);
      if (open > 0) {
        int k = open - 1;
        while (k >= 0 && Character.isWhitespace(s.charAt(k))) {
          k--;
        }
        if (k >= 0 && (s.charAt(k) == ',' || s.charAt(k) == '{') && innermostIsObject(out, k)) {
          out.setLength(open); // a key without a value
        }
      }
    }
  }

  private static JsonNode tryParse(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      JsonNode node = ApiJson.mapper().readTree(s);
      return node != null && (node.isObject() || node.isArray()) ? node : null;
    } catch (Exception e) {
      return null;
    }
  }
}
