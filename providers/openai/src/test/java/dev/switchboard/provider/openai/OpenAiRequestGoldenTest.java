package dev.switchboard.provider.openai;

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
 * Client requests ({@code src/test/resources/requests/*.json}) through the inbound codec and the
 * adapter, per profile, to the upstream body: unknown fields passed through, absent sampling
 * absent, OpenRouter-only fields stripped, the output limit renamed per profile.
 */
class OpenAiRequestGoldenTest {

  private static final List<String> PROFILES =
      List.of("openai", "groq", "mistral", "openrouter", "anthropic-compat");
  private static final Path REQUESTS = Path.of("src", "test", "resources", "requests");

  private final OpenAiAdapter adapter = new OpenAiAdapter();

  @TestFactory
  Stream<DynamicTest> everyClientRequestMapsToTheGoldenUpstreamBodyForEachProfile()
      throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(REQUESTS)) {
      for (String file : files.map(p -> p.getFileName().toString()).sorted().toList()) {
        String name = file.substring(0, file.length() - ".json".length());
        for (String profile : PROFILES) {
          tests.add(
              DynamicTest.dynamicTest(
                  name + " on " + profile,
                  () -> {
                    LlmRequest request =
                        OpenAiChatCodec.toCanonical(Fixtures.bytes("requests/" + file));
                    HttpCall call = adapter.encode(request, TestTargets.of(profile));
                    GoldenJson.assertMatches(
                        tree(call.body()), "golden/requests/" + name + "." + profile + ".json");
                  }));
        }
      }
    }
    return tests.stream();
  }

  private static com.fasterxml.jackson.databind.JsonNode tree(byte[] body) {
    try {
      return ApiJson.tree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
