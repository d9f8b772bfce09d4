package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.Directives;
import dev.switchboard.core.model.Embedding;
import dev.switchboard.core.model.EmbeddingRequest;
import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.core.provider.UpstreamResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GeminiEmbeddingsTest {

  private final GeminiAdapter adapter = new GeminiAdapter();

  private static LlmRequest request(int inputs, boolean base64) {
    List<EmbeddingRequest.Input> in =
        IntStream.range(0, inputs)
            .<EmbeddingRequest.Input>mapToObj(i -> new EmbeddingRequest.Input.Text("abcdefgh"))
            .toList();
    return new LlmRequest(
        "google/gemini-embedding-001",
        List.of(),
        List.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        ProviderPreferences.NONE,
        null,
        null,
        Directives.NONE,
        new EmbeddingRequest(in, null, base64, null));
  }

  private EmbeddingResponse decode(int inputs, boolean base64, String body) {
    return adapter.decodeEmbeddings(
        request(inputs, base64),
        new UpstreamResponse(200, Map.of(), body.getBytes(StandardCharsets.UTF_8)),
        TestTargets.of("gemini-embedding-001"));
  }

  private static String json(Embedding e) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    e.writeJson(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aBatchKeepsItsOrderAndTheUpstreamsTextWithUsageEstimated() throws Exception {
    EmbeddingResponse r =
        decode(
            2,
            false,
            "{\n  \"embeddings\": [\n    {\n      \"values\": [\n        0.1,\n        -0.2\n      ]\n"
                + "    },\n    {\"values\": [3e-2, 4]}\n  ]\n}\n");

    assertThat(json(r.vectors().get(0))).isEqualTo("[\n        0.1,\n        -0.2\n      ]");
    assertThat(json(r.vectors().get(1))).isEqualTo("[3e-2, 4]");
    assertThat(r.upstreamModel()).isEqualTo("gemini-embedding-001");
    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().promptTokens()).isEqualTo(4); // 16 characters, four a token
  }

  @Test
  void oneInputIsOneEmbeddingReadAsValuesForBase64WithReportedUsage() {
    EmbeddingResponse r =
        decode(
            1,
            true,
            "{\"embedding\":{\"values\":[0.5,0.25]},\"usageMetadata\":{\"promptTokenCount\":3}}");

    assertThat(r.vectors().getFirst().values()).containsExactly(0.5f, 0.25f);
    assertThat(r.usage().promptTokens()).isEqualTo(3);
    assertThat(r.usage().estimated()).isFalse();
  }

  @Test
  void theWrongCountOrShapeIsABadResponse() {
    for (String body :
        List.of(
            "{\"embeddings\":[{\"values\":[0.1]}]}",
            "{\"embeddings\":[{\"values\":[0.1]},{\"other\":[1]}]}",
            "{\"embeddings\":[{\"values\":[0.1]},{\"values\":[\"x\"]}]}",
            "{\"embeddings\":{\"values\":[0.1]}}",
            "{}",
            "not json")) {
      assertThatThrownBy(() -> decode(2, false, body))
          .as(body)
          .isInstanceOfSatisfying(
              GatewayException.class,
              e -> assertThat(e.error().kind()).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE));
    }
  }
}
