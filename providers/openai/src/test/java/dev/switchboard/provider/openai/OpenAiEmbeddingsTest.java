package dev.switchboard.provider.openai;

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
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingsTest {

  private final OpenAiAdapter adapter = new OpenAiAdapter();

  private static LlmRequest request(int inputs, boolean base64) {
    List<EmbeddingRequest.Input> in =
        java.util.stream.IntStream.range(0, inputs)
            .<EmbeddingRequest.Input>mapToObj(i -> new EmbeddingRequest.Input.Text("text " + i))
            .toList();
    return new LlmRequest(
        "test/embed",
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
        TestTargets.of("openai"));
  }

  private static String json(Embedding e) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    e.writeJson(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void vectorsGoToTheirIndexAndKeepTheUpstreamsText() throws Exception {
    EmbeddingResponse r =
        decode(
            2,
            false,
            "{\"object\":\"list\",\"data\":[{\"embedding\":[0.5,-1e-3],\"object\":\"embedding\","
                + "\"index\":1},{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}],"
                + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":7,"
                + "\"total_tokens\":7}}");

    assertThat(r.upstreamModel()).isEqualTo("text-embedding-3-small");
    assertThat(r.usage().promptTokens()).isEqualTo(7);
    assertThat(json(r.vectors().get(0))).isEqualTo("[0.1,0.2]");
    assertThat(json(r.vectors().get(1))).isEqualTo("[0.5,-1e-3]");
  }

  @Test
  void base64IsAskedOfTheDecoderAsValues() {
    EmbeddingResponse r = decode(1, true, "{\"data\":[{\"index\":0,\"embedding\":[0.25,-0.5,1]}]}");

    assertThat(r.vectors().getFirst().hasJson()).isFalse();
    assertThat(r.vectors().getFirst().values()).containsExactly(0.25f, -0.5f, 1f);
    assertThat(r.usage().promptTokens()).isZero();
  }

  @Test
  void aMissingIndexABadVectorOrNoDataIsABadResponse() {
    for (String body :
        List.of(
            "{\"data\":[{\"index\":0,\"embedding\":[0.1]}]}",
            "{\"data\":[{\"index\":0,\"embedding\":[0.1]},{\"index\":5,\"embedding\":[0.1]}]}",
            "{\"data\":[{\"index\":0,\"embedding\":\"AAAA\"},{\"index\":1,\"embedding\":[1]}]}",
            "{\"data\":[{\"embedding\":[0.1]},{\"index\":1,\"embedding\":[1]}]}",
            "{\"object\":\"list\"}",
            "[1,2]",
            "{\"data\":[{\"index\":0,\"embedding\":[0.1]}",
            "<html>")) {
      assertThatThrownBy(() -> decode(2, false, body))
          .as(body)
          .isInstanceOfSatisfying(
              GatewayException.class,
              e -> assertThat(e.error().kind()).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE));
    }
  }

  @Test
  void anErrorBodyIsClassifiedAsAnError() {
    assertThatThrownBy(
            () ->
                decode(
                    1,
                    false,
                    "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.error().kind()).isNotEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE));
  }
}
