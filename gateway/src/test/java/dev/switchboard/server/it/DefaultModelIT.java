package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.json.ApiJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checklist 12: a request without {@code model} uses {@code features.default-model}. */
class DefaultModelIT {

  @RegisterExtension
  static final TestGateway gw =
      TestGateway.perClass(
          c -> c.withFeatures(c.features().withDefaultModel("deepseek/deepseek-chat-v3-0324")));

  @Test
  void aRequestWithoutAModelGetsTheConfiguredDefault() throws Exception {
    HttpResponse<String> r =
        gw.chat("{\"messages\":[{\"role\":\"user\",\"content\":\"which model?\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiJson.tree(r.body()).path("model").asText())
        .isEqualTo("deepseek/deepseek-chat-v3-0324");
  }

  @Test
  void anExplicitModelStillWins() throws Exception {
    HttpResponse<String> r =
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(ApiJson.tree(r.body()).path("model").asText()).isEqualTo("openai/gpt-5.2");
  }
}
