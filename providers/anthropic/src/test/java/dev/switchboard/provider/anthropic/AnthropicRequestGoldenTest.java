package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.GoldenJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  private static final Path REQUESTS = Path.of("src", "test", "resources", "requests");

  private final AnthropicAdapter adapter = new AnthropicAdapter();

  @TestFactory
  Stream<DynamicTest> everyClientRequestMapsToTheGoldenAnthropicBody() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(REQUESTS)) {
      for (String file : files.map(p -> p.getFileName().toString()).sorted().toList()) {
        String name = file.substring(0, file.length() - ".json".length());
        List<String> models =
            name.startsWith("structured-")
                ? List.of(TestTargets.SONNET_45, TestTargets.SONNET_4)
                : List.of(TestTargets.SONNET_45);
        for (String model : models) {
          String suffix = model.equals(TestTargets.SONNET_45) ? "sonnet-4-5" : "sonnet-4";
          tests.add(
              DynamicTest.dynamicTest(
                  name + " on " + suffix,
                  () -> {
                    LlmRequest request =
                        OpenAiChatCodec.toCanonical(Fixtures.bytes("requests/" + file));
                    HttpCall call = adapter.encode(request, TestTargets.of(model));
                    assertThat(call.url()).isEqualTo("https://api.anthropic.com/v1/messages");
                    assertThat(call.headers())
                        .containsEntry("x-api-key", "sk-ant-test-key")
                        .containsEntry("anthropic-version", "2023-06-01");
                    GoldenJson.assertMatches(
                        tree(call.body()), "golden/requests/" + name + "." + suffix + ".json");
                  }));
        }
      }
    }
    return tests.stream();
  }

  private static JsonNode tree(byte[] body) {
    try {
      return ApiJson.tree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
