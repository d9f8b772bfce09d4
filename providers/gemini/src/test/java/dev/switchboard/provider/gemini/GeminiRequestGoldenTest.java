package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * adapter to the upstream call, for three model families: Gemini 3 (thinking levels, signature
 * placeholder), 2.5 (thinking budgets) and 2.0 (no thinking, OpenAPI-subset schemas). The golden
 * holds the method, URL, header names and body.
 */
class GeminiRequestGoldenTest {

  private static final List<String> MODELS =
      List.of("gemini-3-flash-preview", "gemini-2.5-pro", "gemini-2.0-flash");
  private static final Path REQUESTS = Path.of("src", "test", "resources", "requests");

  private final GeminiAdapter adapter = new GeminiAdapter();

  @TestFactory
  Stream<DynamicTest> everyClientRequestMapsToTheGoldenUpstreamCallForEachModelFamily()
      throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(REQUESTS)) {
      for (String file : files.map(p -> p.getFileName().toString()).sorted().toList()) {
        String name = file.substring(0, file.length() - ".json".length());
        for (String model : MODELS) {
          tests.add(
              DynamicTest.dynamicTest(
                  name + " on " + model,
                  () -> {
                    LlmRequest request =
                        OpenAiChatCodec.toCanonical(Fixtures.bytes("requests/" + file));
                    HttpCall call = adapter.encode(request, TestTargets.of(model));
                    GoldenJson.assertMatches(
                        call(call), "golden/requests/" + name + "." + model + ".json");
                  }));
        }
      }
    }
    return tests.stream();
  }

  /** The call as JSON: method, URL, sorted header names (values hold the key), the body. */
  static JsonNode call(HttpCall call) {
    ObjectNode out = ApiJson.object();
    out.put("method", call.method());
    out.put("url", call.url());
    ObjectNode headers = out.putObject("headers");
    call.headers().keySet().stream()
        .sorted()
        .forEach(h -> headers.put(h, h.equals("x-goog-api-key") ? "<key>" : call.headers().get(h)));
    try {
      out.set("body", ApiJson.tree(call.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(call.headers().get("x-goog-api-key")).isEqualTo("test-gemini-key");
    return out;
  }
}
