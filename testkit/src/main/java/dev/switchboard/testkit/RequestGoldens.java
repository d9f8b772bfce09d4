package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.openai.OpenAiChatCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The request side of an adapter's golden tests: every client request under {@code
 * src/test/resources/requests/} (OpenAI/OpenRouter format) through the inbound codec, then, once
 * per variant (a profile, a model), through the adapter; what the adapter's test makes of the call
 * is compared with {@code golden/requests/<request>.<variant>.json}.
 */
public final class RequestGoldens {

  /** What one variant of the adapter sends for a canonical request, as golden JSON. */
  @FunctionalInterface
  public interface Encoder {
    Object encode(String variant, LlmRequest request) throws Exception;
  }

  private static final Path REQUESTS = Path.of("src", "test", "resources", "requests");

  private RequestGoldens() {}

  /**
   * One test per request and variant, named {@code "<request> on <variant>"}, in request name
   * order; {@code variants} gives the variants of a request by its name.
   */
  public static Stream<DynamicTest> each(Function<String, List<String>> variants, Encoder encoder) {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : files()) {
      String name = file.substring(0, file.length() - ".json".length());
      for (String variant : variants.apply(name)) {
        tests.add(
            DynamicTest.dynamicTest(
                name + " on " + variant,
                () -> {
                  LlmRequest request =
                      OpenAiChatCodec.toCanonical(Fixtures.bytes("requests/" + file));
                  GoldenJson.assertMatches(
                      encoder.encode(variant, request),
                      "golden/requests/" + name + "." + variant + ".json");
                }));
      }
    }
    return tests.stream();
  }

  /** An upstream body as a JSON tree. */
  public static JsonNode json(byte[] body) {
    try {
      return ApiJson.tree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> files() {
    try (Stream<Path> files = Files.list(REQUESTS)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
