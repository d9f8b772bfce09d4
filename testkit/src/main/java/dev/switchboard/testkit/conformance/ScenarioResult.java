package dev.switchboard.testkit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;

/**
 * One line of an adapter's result file: which scenario, what came of it, and why (the declared
 * reason for a refusal or a skip, the failure message for a failure).
 */
public record ScenarioResult(String adapter, Scenario scenario, Outcome outcome, String detail) {

  /** What came of a scenario. */
  public enum Outcome {
    /** Declared supported and every check passed. */
    PASS,
    /** Declared refused, and the adapter refused it cleanly. */
    REJECTED,
    /** Declared not applicable; not run. */
    NOT_APPLICABLE,
    /** Anything else: a check failed, or the declaration did not hold. */
    FAIL
  }

  /** The JSON line. */
  public String toJsonLine() {
    ObjectNode line = ApiJson.object();
    line.put("adapter", adapter);
    line.put("scenario", scenario.id());
    line.put("title", scenario.title());
    line.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
    line.put("detail", detail);
    return ApiJson.string(line);
  }

  /** Reads a line written by {@link #toJsonLine}; null for an unknown scenario id. */
  static ScenarioResult fromJson(JsonNode line) {
    String id = line.path("scenario").asText();
    for (Scenario scenario : Scenario.values()) {
      if (scenario.id().equals(id)) {
        return new ScenarioResult(
            line.path("adapter").asText(),
            scenario,
            Outcome.valueOf(line.path("outcome").asText().toUpperCase(java.util.Locale.ROOT)),
            line.path("detail").isTextual() ? line.path("detail").asText() : null);
      }
    }
    return null;
  }
}
