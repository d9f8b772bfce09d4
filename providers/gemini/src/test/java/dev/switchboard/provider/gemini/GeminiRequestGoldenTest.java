package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.testkit.RequestGoldens;
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

  private final GeminiAdapter adapter = new GeminiAdapter();

  @TestFactory
  Stream<DynamicTest> everyClientRequestMapsToTheGoldenUpstreamCallForEachModelFamily() {
    return RequestGoldens.each(
        name -> MODELS, (model, request) -> call(adapter.encode(request, TestTargets.of(model))));
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
    out.set("body", RequestGoldens.json(call.body()));
    assertThat(call.headers().get("x-goog-api-key")).isEqualTo("test-gemini-key");
    return out;
  }
}
