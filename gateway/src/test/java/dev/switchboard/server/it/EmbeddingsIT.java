package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /embeddings} and {@code GET /embeddings/models} driven by the official OpenAI Java
 * client over OpenAI-compatible upstreams (OpenAI, Mistral's profile) and Gemini's {@code
 * embedContent} / {@code batchEmbedContents}, all simulated by the demo gateway.
 */
class EmbeddingsIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();
  static OpenAIClient client;

  static final String OPENAI = "openai/text-embedding-3-small";
  static final String GEMINI = "google/gemini-embedding-001";

  @BeforeAll
  static void start() {
    client = Clients.openAi(gw);
  }

  @ParameterizedTest
  @CsvSource({
    "openai/text-embedding-3-small, 1536",
    "mistralai/mistral-embed, 1024",
    "google/gemini-embedding-001, 3072"
  })
  void oneTextGivesOneUnitVectorWithUsageCostAndARecord(String model, int dims) throws Exception {
    CreateEmbeddingResponse r =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder().model(model).input("The quick brown fox").build());
    assertThat(r.model()).isEqualTo(model);
    assertThat(r.data()).hasSize(1);
    List<Float> v = r.data().getFirst().embedding();
    assertThat(v).hasSize(dims);
    assertThat(norm(v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(r.usage().promptTokens()).isPositive();
    BigDecimal cost =
        new BigDecimal(
            r.usage()._additionalProperties().get("cost").asNumber().orElseThrow().toString());
    assertThat(cost).isPositive();

    String id = String.valueOf(r._additionalProperties().get("id").asString().orElseThrow());
    JsonNode record =
        ApiJson.tree(gw.get("/generation?id=" + id, TestGateway.KEY).body()).path("data");
    assertThat(record.path("api_type").asText()).isEqualTo("embeddings");
    assertThat(record.path("tokens_prompt").asLong()).isEqualTo(r.usage().promptTokens());
    assertThat(record.path("total_cost").decimalValue()).isEqualByComparingTo(cost);
  }

  @ParameterizedTest
  @ValueSource(strings = {OPENAI, GEMINI})
  void aBatchKeepsOrderAndTheSameInputGivesTheSameVector(String model) {
    List<String> inputs = List.of("alpha", "beta", "alpha");
    CreateEmbeddingResponse r =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder().model(model).inputOfArrayOfStrings(inputs).build());
    assertThat(r.data()).extracting(e -> e.index()).containsExactly(0L, 1L, 2L);
    assertThat(r.data().get(0).embedding()).isEqualTo(r.data().get(2).embedding());
    assertThat(r.data().get(0).embedding()).isNotEqualTo(r.data().get(1).embedding());
  }

  @ParameterizedTest
  @ValueSource(strings = {OPENAI, GEMINI})
  void dimensionsShortenTheVector(String model) {
    CreateEmbeddingResponse r =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model(model)
                    .input("short")
                    .dimensions(256)
                    .build());
    assertThat(r.data().getFirst().embedding()).hasSize(256);
  }

  @Test
  void theContextLimitAppliesToEachInputNotToTheBatch() {
    // Gemini Embedding's context is 2,048 tokens; ten inputs of about 250 tokens each fit.
    List<String> inputs = java.util.Collections.nCopies(10, "word ".repeat(200));
    CreateEmbeddingResponse r =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model(GEMINI)
                    .inputOfArrayOfStrings(inputs)
                    .build());
    assertThat(r.data()).hasSize(10);
    assertThatThrownBy(
            () ->
                client
                    .embeddings()
                    .create(
                        EmbeddingCreateParams.builder()
                            .model(GEMINI)
                            .input("word ".repeat(2000))
                            .build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("fit the prompt");
  }

  @Test
  void base64IsLittleEndianFloat32OfTheSameVector() throws Exception {
    String body = "{\"model\":\"" + OPENAI + "\",\"input\":\"same\"";
    JsonNode floats = json(gw.post("/embeddings", body + "}", TestGateway.KEY, "application/json"));
    JsonNode b64 =
        json(
            gw.post(
                "/embeddings",
                body + ",\"encoding_format\":\"base64\"}",
                TestGateway.KEY,
                "application/json"));
    JsonNode expected = floats.path("data").get(0).path("embedding");
    ByteBuffer buf =
        ByteBuffer.wrap(
                Base64.getDecoder().decode(b64.path("data").get(0).path("embedding").asText()))
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(buf.remaining()).isEqualTo(expected.size() * 4);
    for (JsonNode f : expected) {
      assertThat(buf.getFloat()).isEqualTo((float) f.asDouble());
    }
  }

  @Test
  void tokenIdsGoToOpenAiAndAreRefusedByGemini() throws Exception {
    CreateEmbeddingResponse r =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model(OPENAI)
                    .inputOfArrayOfTokenArrays(List.of(List.of(1L, 2L, 3L), List.of(4L, 5L)))
                    .putAdditionalBodyProperty(
                        "provider",
                        com.openai.core.JsonValue.from(Map.of("only", List.of("openai"))))
                    .build());
    assertThat(r.data()).hasSize(2);
    assertThat(gw.simulator().lastRequest("openai").orElseThrow().body())
        .contains("[[1,2,3],[4,5]]");
    HttpResponse<String> res =
        gw.post(
            "/embeddings",
            "{\"model\":\"" + GEMINI + "\",\"input\":[1,2,3]}",
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("token-id input");
  }

  @Test
  void inputTypeBecomesGeminisTaskTypeAndIsRefusedWhereItHasNoField() throws Exception {
    HttpResponse<String> res =
        gw.post(
            "/embeddings",
            "{\"model\":\""
                + GEMINI
                + "\",\"input\":[\"a\",\"b\"],\"input_type\":\"search_query\"}",
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(200);
    var sent = gw.simulator().lastRequest("google-ai-studio").orElseThrow();
    assertThat(sent.path()).endsWith("gemini-embedding-001:batchEmbedContents");
    assertThat(sent.body()).contains("\"taskType\":\"RETRIEVAL_QUERY\"");
    res =
        gw.post(
            "/embeddings",
            "{\"model\":\"" + OPENAI + "\",\"input\":\"a\",\"input_type\":\"search_query\"}",
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("input_type");
  }

  @Test
  void aFailingProviderFallsBackToTheNextEndpoint() throws Exception {
    gw.simulator().addFault("openai", new Fault.Status(503, null, Map.of(), 1));
    HttpResponse<String> res =
        gw.post(
            "/embeddings",
            "{\"model\":\""
                + OPENAI
                + "\",\"input\":\"x\",\"provider\":{\"order\":[\"openai\",\"azure\"]}}",
            TestGateway.KEY,
            "application/json");
    JsonNode body = json(res);
    assertThat(body.path("provider").asText()).isEqualTo("Azure");
    JsonNode record =
        ApiJson.tree(gw.get("/generation?id=" + body.path("id").asText(), TestGateway.KEY).body())
            .path("data");
    assertThat(record.path("provider_responses")).hasSize(2);
  }

  @Test
  void modelsServeOnlyTheirOwnApi() throws Exception {
    assertThatThrownBy(
            () ->
                client
                    .embeddings()
                    .create(
                        EmbeddingCreateParams.builder().model("openai/gpt-5.2").input("x").build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("not an embedding model");
    HttpResponse<String> chat =
        gw.chat(
            "{\"model\":\"" + OPENAI + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(chat.statusCode()).isEqualTo(404);
    assertThat(chat.body()).contains("/embeddings");
  }

  @Test
  void badInputIsRefusedByName() {
    assertThatThrownBy(
            () ->
                client
                    .embeddings()
                    .create(
                        EmbeddingCreateParams.builder()
                            .model(OPENAI)
                            .input("x")
                            .putAdditionalBodyProperty(
                                "truncate", com.openai.core.JsonValue.from(true))
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("truncate");
  }

  @Test
  void embeddingModelsAreListedApartFromChatModels() throws Exception {
    JsonNode list = json(gw.get("/embeddings/models", null));
    List<String> ids = list.path("data").findValuesAsText("id");
    assertThat(ids).contains(OPENAI, GEMINI, "mistralai/mistral-embed");
    assertThat(ids).doesNotContain("openai/gpt-5.2");
    JsonNode models = json(gw.get("/models", null));
    assertThat(models.path("data").findValuesAsText("id")).doesNotContain(OPENAI);
    JsonNode small =
        list.path("data").findParents("id").stream()
            .filter(m -> m.path("id").asText().equals(OPENAI))
            .findFirst()
            .orElseThrow();
    assertThat(small.path("pricing").path("prompt").asText()).isEqualTo("0.00000002");
  }

  private static JsonNode json(HttpResponse<String> res) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return ApiJson.tree(res.body());
  }

  private static double norm(List<Float> v) {
    double sum = 0;
    for (float f : v) {
      sum += (double) f * f;
    }
    return Math.sqrt(sum);
  }
}
