package dev.switchboard.provider.gemini;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the upstream model id says about the request shape it takes. Names are all we have here (the
 * catalog's capability flags stay in the gateway), so the rules are by family: Gemini 1.x and 2.0
 * neither think nor take JSON Schema ({@code parameters} and {@code responseSchema} in the OpenAPI
 * subset instead); 2.5 thinks by token budget; 3 and later by level, and require thought signatures
 * on replayed function calls. Unknown names are treated as current models.
 */
record GeminiModels(int major, int minor, boolean pro, boolean lite) {

  private static final Pattern VERSION = Pattern.compile("gemini-(\\d+)(?:\\.(\\d+))?");

  static GeminiModels of(String upstreamModel) {
    String name = upstreamModel == null ? "" : upstreamModel.toLowerCase(Locale.ROOT);
    int slash = name.lastIndexOf('/');
    if (slash >= 0) {
      name = name.substring(slash + 1);
    }
    Matcher m = VERSION.matcher(name);
    int major = 99;
    int minor = 0;
    if (m.lookingAt()) {
      major = Integer.parseInt(m.group(1));
      minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    }
    return new GeminiModels(major, minor, name.contains("-pro"), name.contains("-lite"));
  }

  /** Gemini 1.x and 2.0: no thinking, OpenAPI-subset schemas. */
  boolean legacy() {
    return major < 2 || (major == 2 && minor == 0);
  }

  /** Gemini 3 and later: {@code thinkingLevel}, strict thought signatures. */
  boolean thinksByLevel() {
    return major >= 3;
  }

  /** The levels this model takes: Gemini 3 Pro has no minimal, 3.0 Pro no medium either. */
  String level(String effort, boolean off) {
    String wanted = off ? "minimal" : effort;
    String level =
        switch (wanted == null ? "" : wanted) {
          case "max", "xhigh", "high" -> "high";
          case "medium" -> "medium";
          case "low" -> "low";
          case "minimal", "none" -> "minimal";
          default -> null;
        };
    if (level == null) {
      return null;
    }
    if (pro && level.equals("minimal")) {
      return "low";
    }
    if (pro && major == 3 && minor == 0 && level.equals("medium")) {
      return "high";
    }
    return level;
  }

  /** The smallest thinking budget; 2.5 Pro cannot turn thinking off. */
  int minBudget() {
    return pro ? 128 : lite ? 512 : 0;
  }

  /** The largest thinking budget. */
  int maxBudget() {
    return pro ? 32768 : 24576;
  }
}
