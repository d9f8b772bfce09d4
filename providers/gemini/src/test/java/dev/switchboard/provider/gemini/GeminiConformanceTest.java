package dev.switchboard.provider.gemini;

import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.Target;
import dev.switchboard.testkit.conformance.ProviderConformance;
import dev.switchboard.testkit.conformance.Scenario;
import dev.switchboard.testkit.conformance.Support;
import java.util.Map;

/**
 * The conformance matrix for the Gemini adapter against the simulator's Gemini dialect, on Gemini 3
 * Flash (thinking levels, thought signatures required on replayed function calls).
 */
class GeminiConformanceTest extends ProviderConformance {

  @Override
  protected String adapterName() {
    return "gemini";
  }

  @Override
  protected ProviderAdapter adapter() {
    return new GeminiAdapter();
  }

  @Override
  protected Target target(String baseUrl) {
    return new Target(
        "google-ai-studio",
        "Google AI Studio",
        baseUrl,
        "gemini-3-flash-preview",
        "test-gemini-key",
        GeminiProfiles.gemini(),
        65536);
  }

  @Override
  protected Map<Scenario, Support> support() {
    Map<Scenario, Support> support = allSupported();
    support.put(
        Scenario.TOOL_CHOICE_REQUIRED,
        Support.notApplicable(
            "the scenario also sends parallel_tool_calls:false, which Gemini cannot express:"
                + " tool_choice required is sent as mode ANY, and Gemini may then call several"
                + " functions (checked by the parallel scenarios and the request goldens)"));
    return support;
  }
}
