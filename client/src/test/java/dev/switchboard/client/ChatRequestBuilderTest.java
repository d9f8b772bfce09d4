package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.chat.Reasoning;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every request feature serializes to OpenRouter's wire JSON. */
class ChatRequestBuilderTest {

  /** The request as it goes on the wire, read back (so numbers compare by their text). */
  static JsonNode json(ChatRequest r) {
    try {
      return ApiJson.tree(ApiJson.bytes(r));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static JsonNode tree(String json) throws IOException {
    return ApiJson.tree(json.replace('\'', '"'));
  }

  @Test
  void textMessagesAndSamplingAreWrittenWithTheirWireNames() throws IOException {
    ChatRequest r =
        Chat.request("fast")
            .system("Be brief")
            .user("Hi")
            .assistant("Hello")
            .messages(Chat.developer("dev note"), Chat.toolResult("call_1", "42"))
            .temperature(0.2)
            .topP(0.9)
            .topK(40)
            .maxTokens(100)
            .maxCompletionTokens(90)
            .frequencyPenalty(0.1)
            .presencePenalty(0.2)
            .repetitionPenalty(1.1)
            .minP(0.05)
            .seed(7)
            .stop("END", "STOP")
            .logprobs(true, 3)
            .build();
    assertThat(json(r))
        .isEqualTo(
            tree(
                "{'model':'fast','messages':[{'role':'system','content':'Be brief'},"
                    + "{'role':'user','content':'Hi'},{'role':'assistant','content':'Hello'},"
                    + "{'role':'developer','content':'dev note'},"
                    + "{'role':'tool','content':'42','tool_call_id':'call_1'}],"
                    + "'max_tokens':100,'max_completion_tokens':90,'temperature':0.2,'top_p':0.9,"
                    + "'top_k':40,'frequency_penalty':0.1,'presence_penalty':0.2,"
                    + "'repetition_penalty':1.1,'min_p':0.05,'seed':7,'logprobs':true,"
                    + "'top_logprobs':3,'stop':['END','STOP']}"));
  }

  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0};
  static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0};
  static final byte[] GIF = {'G', 'I', 'F', '8', '9', 'a', 0};
  static final byte[] WEBP = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 0};

  @Test
  void imagesFromFilesBecomeDataUrlsWithTheirMimeType(@TempDir Path dir) throws IOException {
    Map<String, byte[]> files =
        Map.of("a.png", PNG, "b.jpg", JPEG, "c.gif", GIF, "d.webp", WEBP, "e.bin", PNG);
    Map<String, String> expected =
        Map.of(
            "a.png", "image/png",
            "b.jpg", "image/jpeg",
            "c.gif", "image/gif",
            "d.webp", "image/webp",
            "e.bin", "image/png");
    for (var f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.write(p, f.getValue());
      String url = ((ContentPart.Image) ContentPart.image(p)).url();
      assertThat(url)
          .isEqualTo(
              "data:"
                  + expected.get(f.getKey())
                  + ";base64,"
                  + Base64.getEncoder().encodeToString(f.getValue()));
    }
  }

  @Test
  void imageTypeFallsBackToTheExtensionAndRefusesOthers(@TempDir Path dir) throws IOException {
    Path jpeg = dir.resolve("photo.JPEG");
    Files.writeString(jpeg, "not really");
    assertThat(ContentPart.image(jpeg).url()).startsWith("data:image/jpeg;base64,");
    Path bmp = dir.resolve("x.bmp");
    Files.writeString(bmp, "BM");
    assertThatThrownBy(() -> ContentPart.image(bmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("png, jpeg, webp or gif");
  }

  @Test
  void multimodalPartsAreWrittenAsOpenRouterContentParts(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("report.pdf");
    Files.writeString(pdf, "%PDF");
    Path wav = dir.resolve("voice.wav");
    Files.write(wav, new byte[] {1, 2, 3});
    Path mp4 = dir.resolve("clip.mp4");
    Files.write(mp4, new byte[] {0});
    ChatRequest r =
        Chat.request("m/x")
            .user(
                ContentPart.text("Look"),
                new ContentPart.Image("https://x.test/a.png", "high"),
                ContentPart.videoUrl("https://x.test/v.mp4"),
                ContentPart.video(mp4),
                ContentPart.pdf(pdf),
                ContentPart.pdfUrl("https://x.test/d.pdf", "d.pdf"),
                ContentPart.audio(wav))
            .build();
    assertThat(json(r).at("/messages/0/content"))
        .isEqualTo(
            tree(
                "[{'type':'text','text':'Look'},"
                    + "{'type':'image_url','image_url':{'url':'https://x.test/a.png','detail':'high'}},"
                    + "{'type':'video_url','video_url':{'url':'https://x.test/v.mp4'}},"
                    + "{'type':'video_url','video_url':{'url':'data:video/mp4;base64,AA=='}},"
                    + "{'type':'file','file':{'filename':'report.pdf','file_data':'data:application/pdf;base64,JVBERg=='}},"
                    + "{'type':'file','file':{'filename':'d.pdf','file_data':'https://x.test/d.pdf'}},"
                    + "{'type':'input_audio','input_audio':{'data':'AQID','format':'wav'}}]"));
  }

  record Weather(@JsonPropertyDescription("City name") String city, Unit unit) {}

  enum Unit {
    C,
    F
  }

  @Test
  void toolsAndEveryToolChoice() throws IOException {
    ChatRequestBuilder b =
        Chat.request("m/x")
            .user("hi")
            .tools(Chat.tool("get_weather", "Weather", Weather.class))
            .parallelToolCalls(false);
    assertThat(json(b.toolChoice(ToolChoice.auto()).build()).get("tool_choice").asText())
        .isEqualTo("auto");
    assertThat(json(b.toolChoice(ToolChoice.none()).build()).get("tool_choice").asText())
        .isEqualTo("none");
    assertThat(json(b.toolChoice(ToolChoice.required()).build()).get("tool_choice").asText())
        .isEqualTo("required");
    JsonNode r = json(b.toolChoice(ToolChoice.function("get_weather")).build());
    assertThat(r.get("tool_choice"))
        .isEqualTo(tree("{'type':'function','function':{'name':'get_weather'}}"));
    assertThat(r.get("parallel_tool_calls").asBoolean()).isFalse();
    assertThat(r.at("/tools/0"))
        .isEqualTo(
            tree(
                "{'type':'function','function':{'name':'get_weather','description':'Weather',"
                    + "'parameters':{'type':'object','properties':{"
                    + "'city':{'type':'string','description':'City name'},"
                    + "'unit':{'type':'string','enum':['C','F']}},"
                    + "'required':['city','unit'],'additionalProperties':false}}}"));
    assertThatThrownBy(() -> Chat.tool("bad name!", "x", Weather.class))
        .hasMessageContaining("[A-Za-z0-9_-]");
  }

  record Answer(@JsonProperty("final_answer") String answer, List<Integer> steps) {}

  @Test
  void responseFormatsIncludingASchemaDerivedFromARecord() throws IOException {
    assertThat(
            json(Chat.request("m/x").user("q").responseFormat(ResponseFormat.text()).build())
                .get("response_format"))
        .isEqualTo(tree("{'type':'text'}"));
    assertThat(
            json(Chat.request("m/x").user("q").responseFormat(ResponseFormat.jsonObject()).build())
                .get("response_format"))
        .isEqualTo(tree("{'type':'json_object'}"));
    assertThat(
            json(Chat.request("m/x").user("q").responseFormat(Answer.class).build())
                .get("response_format"))
        .isEqualTo(
            tree(
                "{'type':'json_schema','json_schema':{'name':'Answer','strict':true,'schema':{"
                    + "'type':'object','properties':{'final_answer':{'type':'string'},"
                    + "'steps':{'type':'array','items':{'type':'integer'}}},"
                    + "'required':['final_answer','steps'],'additionalProperties':false}}}"));
  }

  @Test
  void reasoningOptions() throws IOException {
    assertThat(json(Chat.request("m/x").user("q").reasoningEffort("high").build()).get("reasoning"))
        .isEqualTo(tree("{'effort':'high'}"));
    assertThat(
            json(Chat.request("m/x").user("q").reasoningMaxTokens(2000).excludeReasoning().build())
                .get("reasoning"))
        .isEqualTo(tree("{'max_tokens':2000,'exclude':true}"));
    assertThat(json(Chat.request("m/x").user("q").reasoning(true).build()).get("reasoning"))
        .isEqualTo(tree("{'enabled':true}"));
    Reasoning full = new Reasoning("low", null, null, null, "concise", Map.of());
    assertThat(json(Chat.request("m/x").user("q").reasoning(full).build()).get("reasoning"))
        .isEqualTo(tree("{'effort':'low','summary':'concise'}"));
  }

  @Test
  void routingPluginsDebugAndAttributionFields() throws IOException {
    ChatRequest r =
        Chat.request("smart")
            .models("fast", "cheap")
            .user("q")
            .provider(
                ProviderPreferences.builder()
                    .order("anthropic", "amazon-bedrock")
                    .allowFallbacks(false)
                    .requireParameters(true)
                    .dataCollection("deny")
                    .zdr(true)
                    .enforceDistillableText(true)
                    .only("anthropic")
                    .ignore("azure")
                    .quantizations("fp8", "bf16")
                    .sort("throughput", "none")
                    .preferredMinThroughput(50)
                    .preferredMaxLatency(1.5)
                    .maxPrice(new BigDecimal("3"), new BigDecimal("15"))
                    .build())
            .plugins(
                Plugin.web()
                    .engine("exa")
                    .maxResults(3)
                    .searchPrompt("Sources:")
                    .includeDomains("*.example.com")
                    .excludeDomains("bad.test")
                    .build(),
                Plugin.fileParser("cloudflare-ai"),
                Plugin.responseHealing(),
                Plugin.contextCompression(),
                Plugin.disabled("moderation"),
                Plugin.of("web-fetch", Map.of("max_uses", 2)))
            .debugEchoUpstreamBody(true)
            .endUser("user-1")
            .sessionId("s-1")
            .metadata(Map.of("team", "a"))
            .extra("safe_prompt", true)
            .extra("trace", Map.of("trace_id", "t-1"))
            .build();
    JsonNode j = json(r);
    assertThat(j.get("models")).isEqualTo(tree("['fast','cheap']"));
    assertThat(j.get("provider"))
        .isEqualTo(
            tree(
                "{'order':['anthropic','amazon-bedrock'],'allow_fallbacks':false,"
                    + "'require_parameters':true,'data_collection':'deny','zdr':true,"
                    + "'enforce_distillable_text':true,'only':['anthropic'],'ignore':['azure'],"
                    + "'quantizations':['fp8','bf16'],'sort':{'by':'throughput','partition':'none'},"
                    + "'preferred_min_throughput':50,'preferred_max_latency':1.5,"
                    + "'max_price':{'prompt':3,'completion':15}}"));
    assertThat(j.get("plugins"))
        .isEqualTo(
            tree(
                "[{'id':'web','engine':'exa','max_results':3,'search_prompt':'Sources:',"
                    + "'include_domains':['*.example.com'],'exclude_domains':['bad.test']},"
                    + "{'id':'file-parser','pdf':{'engine':'cloudflare-ai'}},"
                    + "{'id':'response-healing'},{'id':'context-compression','engine':'middle-out'},"
                    + "{'id':'moderation','enabled':false},{'id':'web-fetch','max_uses':2}]"));
    assertThat(j.get("debug")).isEqualTo(tree("{'echo_upstream_body':true}"));
    assertThat(j.get("user").asText()).isEqualTo("user-1");
    assertThat(j.get("session_id").asText()).isEqualTo("s-1");
    assertThat(j.get("metadata")).isEqualTo(tree("{'team':'a'}"));
    assertThat(j.get("safe_prompt").asBoolean()).isTrue();
    assertThat(j.get("trace")).isEqualTo(tree("{'trace_id':'t-1'}"));
    assertThat(r.extra()).containsKeys("safe_prompt", "trace");
  }

  @Test
  void aRequestNeedsAMessageAndLimitsAreChecked() {
    assertThatThrownBy(() -> Chat.request("m/x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one message");
    assertThat(Chat.request("m/x").prompt("complete me").build().prompt()).isEqualTo("complete me");
    assertThatThrownBy(() -> Chat.request("m/x").models("a/1", "b/2", "c/3", "d/4"))
        .hasMessageContaining("at most 3");
    assertThatThrownBy(() -> Chat.request("m/x").temperature(3)).hasMessageContaining("0..2");
    assertThatThrownBy(() -> Chat.request("m/x").maxTokens(0)).hasMessageContaining("at least 1");
  }

  @Test
  void anExistingRequestCanBeExtended() {
    ChatRequest base = Chat.request("m/x").user("one").build();
    ChatRequest more = Chat.request(base).user("two").temperature(1).build();
    assertThat(more.messages()).hasSize(2);
    assertThat(more.model()).isEqualTo("m/x");
    assertThat(base.messages()).hasSize(1);
  }
}
