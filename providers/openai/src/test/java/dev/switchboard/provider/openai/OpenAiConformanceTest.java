package dev.switchboard.provider.openai;

import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.Target;
import dev.switchboard.testkit.conformance.ProviderConformance;
import dev.switchboard.testkit.conformance.Scenario;
import dev.switchboard.testkit.conformance.Support;
import java.util.Map;

/** The conformance matrix for the OpenAI adapter, profile {@code openai}, against the simulator. */
class OpenAiConformanceTest extends ProviderConformance {

  @Override
  protected String adapterName() {
    return "openai";
  }

  @Override
  protected ProviderAdapter adapter() {
    return new OpenAiAdapter();
  }

  @Override
  protected Target target(String baseUrl) {
    return new Target(
        "openai",
        "OpenAI",
        baseUrl,
        "gpt-4o-mini",
        "sk-test",
        OpenAiProfiles.profile("openai"),
        null);
  }

  @Override
  protected Map<Scenario, Support> support() {
    Map<Scenario, Support> support = allSupported();
    String noReasoningText =
        "OpenAI's chat completions return no reasoning text (reasoning_effort is sent; vendors"
            + " that stream reasoning_content are decoded, see the golden tests)";
    support.put(Scenario.REASONING, Support.notApplicable(noReasoningText));
    support.put(Scenario.REASONING_ROUND_TRIP, Support.notApplicable(noReasoningText));
    support.put(
        Scenario.VIDEO,
        Support.notApplicable(
            "video_url parts are forwarded as sent; whether the upstream takes video depends on"
                + " the vendor behind the profile"));
    return support;
  }
}
