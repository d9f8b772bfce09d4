package dev.switchboard.simulator.behavior;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The provider's own web search, as the simulator plays it (OpenAI's {@code web_search_options},
 * Anthropic's {@code web_search} server tool): one search for the last user turn, {@value #RESULTS}
 * results, deterministic. Result {@code i} is {@code https://search.sim/<slug>/<i>}, titled {@code
 * "Result i for <query>"}, the same pages the simulator's Exa-compatible API gives.
 */
public final class NativeSearch {

  /** Results of one native search. */
  public static final int RESULTS = 3;

  private NativeSearch() {}

  /** One result. */
  public record Result(String url, String title, String snippet) {}

  /** What the prompt searches for: its last user turn. */
  public static String query(Prompt prompt) {
    for (Prompt.Turn t : prompt.turns().reversed()) {
      if (t.role() == Prompt.Role.USER) {
        return t.text();
      }
    }
    return "";
  }

  /** The results for {@code query}. */
  public static List<Result> results(String query) {
    String slug = slug(query);
    List<Result> out = new ArrayList<>(RESULTS);
    for (int i = 1; i <= RESULTS; i++) {
      out.add(
          new Result(
              "https://search.sim/" + slug + "/" + i,
              "Result " + i + " for " + query,
              "Simulated page " + i + " about " + query + "."));
    }
    return out;
  }

  static String slug(String text) {
    String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    s = s.replaceAll("^-+|-+$", "");
    if (s.length() > 40) {
      s = s.substring(0, 40);
    }
    return s.isEmpty() ? "q" : s;
  }
}
