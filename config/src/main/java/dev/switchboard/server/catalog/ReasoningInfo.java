package dev.switchboard.server.catalog;

import java.util.List;

/**
 * What a reasoning model says of its reasoning in {@code /models} (reference §9.1): whether it
 * cannot be turned off ({@code mandatory}: a request with {@code reasoning.effort: "none"} or
 * {@code enabled: false} is refused, checklist 105), the efforts it takes (null: any), its default
 * effort and whether reasoning is on by default.
 */
public record ReasoningInfo(
    boolean mandatory,
    List<String> supportedEfforts,
    String defaultEffort,
    boolean defaultEnabled) {

  /** Efforts from the lowest to the highest. */
  public static final List<String> EFFORTS =
      List.of("minimal", "low", "medium", "high", "xhigh", "max");

  public ReasoningInfo {
    supportedEfforts = supportedEfforts == null ? null : List.copyOf(supportedEfforts);
  }

  /** The lowest effort this model takes above none. */
  public String lowestEffort() {
    if (supportedEfforts == null) {
      return EFFORTS.getFirst();
    }
    for (String e : EFFORTS) {
      if (supportedEfforts.contains(e)) {
        return e;
      }
    }
    return EFFORTS.getFirst();
  }
}
