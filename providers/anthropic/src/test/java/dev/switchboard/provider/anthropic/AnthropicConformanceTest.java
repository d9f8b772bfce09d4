package dev.switchboard.provider.anthropic;

import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.Target;
import dev.switchboard.testkit.conformance.ProviderConformance;
import dev.switchboard.testkit.conformance.Scenario;
import dev.switchboard.testkit.conformance.Support;
import java.util.Map;

/**
 * The conformance matrix for the Anthropic adapter against the simulator's Anthropic dialect. The
 * target is Claude Sonnet 4, which has no native structured outputs, so the JSON schema scenario
 * exercises the forced-tool path (the native path is pinned by the request goldens).
 */
class AnthropicConformanceTest extends ProviderConformance {

  @Override
  protected String adapterName() {
    return "anthropic";
  }

  @Override
  protected ProviderAdapter adapter() {
    return new AnthropicAdapter();
  }

  @Override
  protected Target target(String baseUrl) {
    return new Target(
        "anthropic",
        "Anthropic",
        baseUrl,
        TestTargets.SONNET_4,
        "sk-ant-test",
        AnthropicProfiles.profile("anthropic"),
        64000);
  }

  @Override
  protected Map<Scenario, Support> support() {
    Map<Scenario, Support> support = allSupported();
    support.put(Scenario.AUDIO, Support.rejected("Anthropic's Messages API takes no audio input"));
    support.put(Scenario.VIDEO, Support.rejected("Anthropic's Messages API takes no video input"));
    return support;
  }
}
