package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.provider.Dialect;
import dev.switchboard.core.provider.DialectProfile;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.config.GatewayConfig.ProviderConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DialectsTest {

  @Test
  void eachDialectIsDeclaredByItsModuleWithItsOwnProfileAndAdapter() {
    assertThat(Dialects.all())
        .extracting(Dialect::name)
        .containsExactly("openai", "anthropic", "gemini");
    for (Dialect d : Dialects.all()) {
      assertThat(d.ownProfile().dialect()).isEqualTo(d.name());
      assertThat(Dialects.adapter(d.name())).containsSame(d.adapter());
    }
  }

  @Test
  void theModelAuthorsOwnDialectComesFromTheDeclarations() {
    assertThat(Dialects.nativeFor("anthropic")).map(DialectProfile::id).contains("anthropic");
    assertThat(Dialects.nativeFor("google")).map(DialectProfile::id).contains("gemini");
    assertThat(Dialects.nativeFor("openai")).map(DialectProfile::id).contains("openai");
    assertThat(Dialects.nativeFor("deepseek")).isEmpty();
  }

  @Test
  void demoModeReachesAModelInItsAuthorsDialectAndOthersInOpenAis() {
    ProviderConfig bedrock =
        new ProviderConfig(
            "aws-bedrock",
            "Amazon Bedrock",
            "bedrock",
            "http://127.0.0.1:1",
            null,
            true,
            null,
            null,
            null);
    ProviderConfig together =
        new ProviderConfig(
            "together", "Together", "together", "http://127.0.0.1:1", null, true, null, null, null);
    ProviderRegistry demo =
        ProviderRegistry.of(Map.of("aws-bedrock", bedrock, "together", together), true);
    EndpointEntry bedrockClaude =
        RoutingFixture.endpoint("aws-bedrock", "1", "1", null, false, true, null, 1);
    EndpointEntry togetherDeepseek =
        RoutingFixture.endpoint("together", "1", "1", null, false, true, null, 1);

    assertThat(
            demo.forEndpoint(
                    demo.get("aws-bedrock").orElseThrow(),
                    model("anthropic/claude-x", bedrockClaude),
                    bedrockClaude)
                .orElseThrow()
                .profile()
                .dialect())
        .isEqualTo("anthropic");
    assertThat(
            demo.forEndpoint(
                    demo.get("together").orElseThrow(),
                    model("deepseek/deepseek-x", togetherDeepseek),
                    togetherDeepseek)
                .orElseThrow()
                .profile()
                .dialect())
        .isEqualTo("openai");
  }

  private static ModelEntry model(String id, EndpointEntry endpoint) {
    return RoutingFixture.model(id, null, List.of("text"), endpoint);
  }
}
