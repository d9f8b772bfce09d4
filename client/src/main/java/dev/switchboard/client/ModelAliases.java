package dev.switchboard.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Short names for models, resolved by the client before a request goes out: {@code model("fast")}
 * sends {@code google/gemini-3-flash-preview}. A name that is not an alias is sent unchanged, so
 * every full model id keeps working. Aliases apply to {@code model}, to the {@code models} fallback
 * list and to the client-side fallbacks.
 *
 * @param aliases alias to model id, in insertion order
 */
public record ModelAliases(Map<String, String> aliases) {

  public ModelAliases {
    for (var e : aliases.entrySet()) {
      Checks.requireText(e.getKey(), "alias name");
      Checks.requireText(e.getValue(), "model of alias '" + e.getKey() + "'");
    }
    aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
  }

  /**
   * {@code fast} = {@code google/gemini-3-flash-preview}, {@code smart} = {@code
   * anthropic/claude-sonnet-4}, {@code powerful} = {@code anthropic/claude-opus-4.6}, {@code cheap}
   * = {@code deepseek/deepseek-chat-v3-0324}, {@code code} = {@code openai/gpt-5.3-codex}.
   */
  public static ModelAliases defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("fast", "google/gemini-3-flash-preview");
    m.put("smart", "anthropic/claude-sonnet-4");
    m.put("powerful", "anthropic/claude-opus-4.6");
    m.put("cheap", "deepseek/deepseek-chat-v3-0324");
    m.put("code", "openai/gpt-5.3-codex");
    return new ModelAliases(m);
  }

  /** No aliases: every model name is sent as given. */
  public static ModelAliases none() {
    return new ModelAliases(Map.of());
  }

  /** A copy with {@code alias} (added or replaced) pointing at {@code model}. */
  public ModelAliases with(String alias, String model) {
    Map<String, String> m = new LinkedHashMap<>(aliases);
    m.put(alias, model);
    return new ModelAliases(m);
  }

  /** A copy without {@code alias}. */
  public ModelAliases without(String alias) {
    Map<String, String> m = new LinkedHashMap<>(aliases);
    m.remove(alias);
    return new ModelAliases(m);
  }

  /** The model id for {@code name}: its alias target, or {@code name} itself. */
  public String resolve(String name) {
    if (name == null) {
      return null;
    }
    return aliases.getOrDefault(name, name);
  }
}
