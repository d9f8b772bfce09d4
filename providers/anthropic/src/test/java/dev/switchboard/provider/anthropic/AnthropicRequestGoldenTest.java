package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.testkit.RequestGoldens;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Client requests ({@code src/test/resources/requests/*.json}, OpenAI/OpenRouter format) through
 * the inbound codec and the adapter to the Anthropic body. Requests named {@code structured-*} run
 * on a model with native structured outputs (Sonnet 4.5) and one without (Sonnet 4); the others on
 * Sonnet 4.5 only.
 */
class AnthropicRequestGoldenTest {

  /** The model behind each golden suffix. */
  private static final Map<String, String> MODELS =
      Map.of("sonnet-4-5", TestTargets.SONNET_45, "sonnet-4", TestTargets.SONNET_4);

  private final AnthropicAdapter adapter = new AnthropicAdapter();

  @TestFactory
  Stream<DynamicTest> everyClientRequestMapsToTheGoldenAnthropicBody() {
    return RequestGoldens.each(
        name ->
            name.startsWith("structured-")
                ? List.of("sonnet-4-5", "sonnet-4")
                : List.of("sonnet-4-5"),
        (suffix, request) -> {
          HttpCall call = adapter.encode(request, TestTargets.of(MODELS.get(suffix)));
          assertThat(call.url()).isEqualTo("https://api.anthropic.com/v1/messages");
          assertThat(call.headers())
              .containsEntry("x-api-key", "sk-ant-test-key")
              .containsEntry("anthropic-version", "2023-06-01");
          return RequestGoldens.json(call.body());
        });
  }
}
