package dev.switchboard.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog shipped in the jar: broad (the major providers' current models), plausible figures
 * for every entry, a stated date and sources, and {@code GET /models} listing what can be served:
 * everything in demo mode, only the models of providers with a credential otherwise.
 */
class ShippedCatalogIT {

  static final String MASTER = "sk-sb-mgmt-v1-shipped-catalog-test-0123456789";

  /** $1000 per million tokens: no text model costs more; a misplaced decimal point would. */
  static final BigDecimal MAX_PER_TOKEN = new BigDecimal("0.001");

  @TempDir Path dir;

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(java.time.Duration.ofSeconds(5))
          .build();

  static GatewayConfig shipped() {
    return ConfigLoader.load(null, Map.of(), ConfigLoader.Overrides.NONE);
  }

  @Test
  void coversTheMajorProvidersWithPlausibleFigures() {
    GatewayConfig cfg = shipped();
    List<ModelEntry> models = cfg.catalog().models();
    assertThat(models).hasSizeGreaterThanOrEqualTo(35);
    Map<String, Integer> byAuthor = new HashMap<>();
    models.forEach(m -> byAuthor.merge(m.author(), 1, Integer::sum));
    for (String author :
        List.of(
            "openai",
            "anthropic",
            "google",
            "deepseek",
            "mistralai",
            "x-ai",
            "meta-llama",
            "qwen")) {
      assertThat(byAuthor.getOrDefault(author, 0))
          .as("models by " + author)
          .isGreaterThanOrEqualTo(2);
    }
    Set<String> hosts = new HashSet<>();
    long oldest = Instant.parse("2023-01-01T00:00:00Z").getEpochSecond();
    long newest = Instant.now().getEpochSecond() + 86_400;
    for (ModelEntry m : models) {
      // An embedding model's context is per input (Gemini Embedding's is 2,048 tokens).
      int minContext = m.outputModalities().contains("embeddings") ? 512 : 4_096;
      assertThat(m.contextLength()).as(m.id()).isBetween(minContext, 10_000_000);
      assertThat(m.created()).as(m.id() + " created").isBetween(oldest, newest);
      assertThat(m.name()).as(m.id()).isNotBlank().isNotEqualTo(m.id());
      for (EndpointEntry e : m.endpoints()) {
        String where = m.id() + " on " + e.provider();
        assertThat(cfg.providers()).as(where).containsKey(e.provider());
        assertThat(e.upstreamModel()).as(where).isNotBlank();
        Pricing p = e.pricing();
        assertThat(p.prompt()).as(where).isBetween(BigDecimal.ZERO, MAX_PER_TOKEN);
        assertThat(p.completion()).as(where).isBetween(BigDecimal.ZERO, MAX_PER_TOKEN);
        if (!p.isFree() && m.outputModalities().contains("text")) { // embeddings have no output
          assertThat(p.completion())
              .as(where + ": output dearer than input")
              .isGreaterThanOrEqualTo(p.prompt());
        }
        if (p.inputCacheRead() != null) {
          assertThat(p.inputCacheRead())
              .as(where + ": cache reads are cheaper")
              .isLessThan(p.prompt());
        }
        if (e.maxCompletionTokens() != null) {
          assertThat(e.maxCompletionTokens()).as(where).isBetween(1_024, e.contextLength());
        }
        assertThat(e.contextLength()).as(where).isLessThanOrEqualTo(m.contextLength());
        if (!m.id().endsWith(":free")) {
          hosts.add(m.author() + "@" + e.provider());
        }
      }
    }
    assertThat(hosts)
        .as("open models on open hosts")
        .contains("meta-llama@groq", "meta-llama@together", "qwen@fireworks");
  }

  @Test
  void theFileSaysWhenItWasCheckedAndWhereEachProvidersFiguresCameFrom() throws IOException {
    String text;
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/catalog/default-catalog.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher checked = Pattern.compile("Figures last checked: (\\d{4}-\\d\\d-\\d\\d)").matcher(text);
    assertThat(checked.find()).isTrue();
    assertThat(LocalDate.parse(checked.group(1))).isBeforeOrEqualTo(LocalDate.now());
    Matcher section = Pattern.compile("(?m)^  # ---- (.+?) -+\\n((?:  #.*\\n)+)").matcher(text);
    Set<String> sections = new HashSet<>();
    while (section.find()) {
      sections.add(section.group(1));
      assertThat(section.group(2))
          .as(section.group(1))
          .containsPattern("Sources?:")
          .containsPattern("\\.(com|dev|ai|ca)");
    }
    assertThat(sections)
        .contains("OpenAI", "Anthropic", "Google", "DeepSeek", "Mistral", "xAI", "Qwen");
  }

  @Test
  void demoModeListsEveryShippedModel() throws Exception {
    try (Gateway gw = start(Map.of(), true)) {
      JsonNode models = get(gw, "/models?output_modalities=all");
      assertThat(models.path("total_count").asInt()).isEqualTo(shipped().catalog().models().size());
      assertThat(ids(models))
          .contains(
              "anthropic/claude-sonnet-5.5",
              "x-ai/grok-4.7",
              "meta-llama/llama-4-maverick",
              "qwen/qwen3.7-plus");
    }
  }

  @Test
  void outsideDemoOnlyModelsOfProvidersWithACredentialAreListedAtTheirPrices() throws Exception {
    GatewayConfig cfg = shipped();
    Set<String> expected = new HashSet<>();
    for (ModelEntry m : cfg.catalog().models()) {
      if (m.endpoints().stream()
          .anyMatch(e -> e.provider().equals("xai") || e.provider().equals("groq"))) {
        expected.add(m.id());
      }
    }
    try (Gateway gw = start(Map.of("XAI_API_KEY", "xai-test", "GROQ_API_KEY", "gsk-test"), false)) {
      JsonNode models = get(gw, "/models");
      assertThat(ids(models)).containsExactlyInAnyOrderElementsOf(expected);
      JsonNode gptOss =
          get(gw, "/models/openai/gpt-oss-120b/endpoints").path("data").path("endpoints");
      assertThat(gptOss).hasSize(1);
      assertThat(gptOss.get(0).path("provider_name").asText()).isEqualTo("Groq");
      JsonNode maverick =
          models.path("data").findParents("id").stream()
              .filter(m -> m.path("id").asText().equals("meta-llama/llama-4-maverick"))
              .findFirst()
              .orElseThrow();
      assertThat(maverick.path("pricing").path("prompt").asText()).isEqualTo("0.0000002");
      assertThat(get(gw, "/providers").path("data").findValuesAsText("slug"))
          .containsExactlyInAnyOrder("xai", "groq");
    }
  }

  private Gateway start(Map<String, String> env, boolean demo) {
    Map<String, String> all = new HashMap<>(env);
    all.put("SWITCHBOARD_MASTER_KEY", MASTER);
    return Gateway.start(
        ConfigLoader.load(
            null,
            all,
            new ConfigLoader.Overrides("127.0.0.1", 0, dir.resolve("data-" + demo), demo)));
  }

  private JsonNode get(Gateway gw, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .timeout(java.time.Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return ApiJson.tree(r.body());
  }

  private static List<String> ids(JsonNode models) {
    return models.path("data").findValuesAsText("id").stream()
        .filter(id -> id.contains("/"))
        .toList();
  }
}
