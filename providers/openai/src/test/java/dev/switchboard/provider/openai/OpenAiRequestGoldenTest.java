package dev.switchboard.provider.openai;

import dev.switchboard.testkit.RequestGoldens;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Client requests ({@code src/test/resources/requests/*.json}) through the inbound codec and the
 * adapter, per profile, to the upstream body: unknown fields passed through, absent sampling
 * absent, OpenRouter-only fields stripped, the output limit renamed per profile.
 */
class OpenAiRequestGoldenTest {

  private static final List<String> PROFILES =
      List.of("openai", "groq", "mistral", "openrouter", "anthropic-compat");

  private final OpenAiAdapter adapter = new OpenAiAdapter();

  @TestFactory
  Stream<DynamicTest> everyClientRequestMapsToTheGoldenUpstreamBodyForEachProfile() {
    return RequestGoldens.each(
        name -> PROFILES,
        (profile, request) ->
            RequestGoldens.json(adapter.encode(request, TestTargets.of(profile)).body()));
  }
}
