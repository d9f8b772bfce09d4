package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.chat.ToolCall;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every recorded OpenRouter response and error in {@code fixtures/openrouter}, served byte for byte
 * from a local replay server and read through the public API.
 */
class RecordedOpenRouterTest {

  static final ChatRequest REQUEST = Chat.request("openai/gpt-4o-mini").user("Hi").build();

  ReplayServer server;
  SwitchboardClient client;

  @BeforeEach
  void start() {
    server = ReplayServer.start();
    client = server.client().build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private void serve(String fixture, int status) {
    server.on("POST", "/chat/completions", ReplayServer.Reply.fixture(fixture, status));
  }

  private ChatResponse complete(String fixture) {
    serve(fixture, 200);
    return client.chat().create(REQUEST);
  }

  private void withStream(String fixture, java.util.function.Consumer<ChatStream> body) {
    serve(fixture, 200);
    try (ChatStream stream = client.chat().stream(REQUEST)) {
      body.accept(stream);
    }
  }

  @Test
  void readsToolCallsWithANonOpenAiIdAndAnIndexInside() {
    ChatResponse r = complete("chat-tool-calls.json");
    assertThat(r.provider()).isEqualTo("Mistral");
    assertThat(r.finishReason()).isEqualTo("tool_calls");
    assertThat(r.completion().choices().getFirst().nativeFinishReason()).isEqualTo("tool_calls");
    List<ToolCall> calls = r.toolCalls();
    assertThat(calls).hasSize(1);
    assertThat(calls.getFirst().id()).isEqualTo("3sniiMddS");
    assertThat(calls.getFirst().function().name()).isEqualTo("divide");
    assertThat(calls.getFirst().function().arguments()).contains("\"numerator\": 123");
    assertThat(r.usage().promptTokens()).isEqualTo(134);
    assertThat(r.usage().totalTokens()).isEqualTo(177);
    assertThat(r.cost()).isEmpty();
    assertThat(r.toMessage().toolCalls())
        .singleElement()
        .satisfies(c -> assertThat(c.index()).isNull());
  }

  @Test
  void readsUsageWithCostDetailsAndEncryptedReasoning() {
    ChatResponse r = complete("chat-usage-cost.json");
    assertThat(r.model()).isEqualTo("openai/gpt-5-mini");
    assertThat(r.text()).startsWith("Here’s a concise but thorough overview of Mars");
    assertThat(r.cost()).hasValue(new BigDecimal("0.00435825"));
    assertThat(r.usage().isByok()).isFalse();
    assertThat(r.usage().completionTokensDetails().reasoningTokens()).isEqualTo(960);
    assertThat(r.usage().costDetails().upstreamInferenceCost()).isNull();
    assertThat(r.usage().costDetails().upstreamInferenceCompletionsCost())
        .isEqualByComparingTo("0.004354");
    assertThat(r.reasoning()).hasValueSatisfying(t -> assertThat(t).startsWith("**Exploring Mars"));
    assertThat(r.reasoningDetails())
        .extracting(ReasoningDetail::type)
        .containsExactly("reasoning.summary", "reasoning.encrypted");
    assertThat(r.reasoningDetails().get(1).data()).isNotBlank();
    assertThat(r.reasoningDetails().get(1).format()).isEqualTo("openai-responses-v1");
  }

  @Test
  void readsReasoningDetailsWithTheirSignature() {
    ChatResponse r = complete("chat-reasoning-details.json");
    assertThat(r.provider()).isEqualTo("Amazon Bedrock");
    assertThat(r.text()).isEqualTo("ok");
    assertThat(r.reasoning()).hasValueSatisfying(t -> assertThat(t).contains("single word"));
    ReasoningDetail d = r.reasoningDetails().getFirst();
    assertThat(d.type()).isEqualTo("reasoning.text");
    assertThat(d.format()).isEqualTo("anthropic-claude-v1");
    assertThat(d.signature()).startsWith("EugCCkgIDRAB");
    assertThat(d.index()).isZero();
    assertThat(r.cost()).hasValue(new BigDecimal("0.000924"));
    assertThat(r.toMessage().reasoningDetails()).isNotNull();
  }

  @Test
  void readsWebSearchAnnotationsAndServerToolUsage() {
    ChatResponse r = complete("chat-web-search-annotations.json");
    assertThat(r.text()).isEqualTo("https://github.com/pydantic/pydantic-ai");
    assertThat(r.citations()).hasSize(5);
    assertThat(r.citations().getFirst().url()).isEqualTo("https://github.com/pydantic/pydantic-ai");
    assertThat(r.citations().getFirst().title()).isEqualTo("AI Agent Framework, the Pydantic way");
    assertThat(r.citations().getFirst().content()).contains("pydantic/pydantic-ai");
    assertThat(r.cost()).hasValue(new BigDecimal("0.007637029"));
    assertThat(r.json().at("/usage/server_tool_use_details/web_search_requests").asInt())
        .isEqualTo(1);
  }

  @Test
  void recorded401IsAnAuthenticationException() {
    serve("error-401-no-auth.json", 401);
    AuthenticationException e =
        catchThrowableOfType(AuthenticationException.class, () -> client.chat().create(REQUEST));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e).hasMessage("No auth credentials found");
    assertThat(e.metadata()).isEmpty();
  }

  @Test
  void recorded402IsAPaymentRequiredException() {
    serve("error-402-insufficient-credits.json", 402);
    PaymentRequiredException e =
        catchThrowableOfType(PaymentRequiredException.class, () -> client.chat().create(REQUEST));
    assertThat(e.status()).isEqualTo(402);
    assertThat(e.getMessage()).startsWith("Insufficient credits. This account never purchased");
  }

  @Test
  void recorded429IsARateLimitedProviderErrorWithProviderNameAndRaw() {
    serve("error-429-upstream-rate-limited.json", 429);
    RateLimitedException e =
        catchThrowableOfType(RateLimitedException.class, () -> client.chat().create(REQUEST));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e).hasMessage("Provider returned error");
    assertThat(e.providerName()).hasValue("Google");
    assertThat(e.raw())
        .hasValueSatisfying(raw -> assertThat(raw).contains("rate-limited upstream"));
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.responseBody()).hasValueSatisfying(b -> assertThat(b).contains("user_2wT5"));
  }

  @Test
  void midStreamErrorRaisesFromNextWithItsCodeAndMessage() {
    withStream(
        "stream-midstream-error.sse",
        stream -> {
          List<ChatCompletionChunk> chunks = new ArrayList<>();
          BadRequestException e =
              catchThrowableOfType(
                  BadRequestException.class,
                  () -> {
                    while (stream.hasNext()) {
                      chunks.add(stream.next());
                    }
                  });
          assertThat(chunks).hasSize(3);
          assertThat(e.status()).isEqualTo(400);
          assertThat(e).hasMessage("Token limit reached");
          assertThat(e.midStream()).isTrue();
          assertThat(e.generationId()).hasValue("gen-1762179802-UN8pkJI4AGZvryk0kFnb");
          assertThat(stream.comments()).isEqualTo(17);
          StreamAccumulator acc = stream.accumulated();
          assertThat(acc.reasoning()).isEqualTo("We need to respond to a greeting. The user");
          assertThat(acc.finishReason()).hasValue("length");
          assertThat(acc.usage())
              .hasValueSatisfying(
                  u -> {
                    assertThat(u.completionTokens()).isEqualTo(10);
                    assertThat(u.completionTokensDetails().reasoningTokens()).isEqualTo(11);
                  });
          assertThat(stream.hasNext()).isFalse();
        });
  }

  @Test
  void streamedReasoningIsJoinedWithItsSignatureAndCommentsAreSkipped() {
    withStream(
        "stream-reasoning.sse",
        stream -> {
          StreamAccumulator acc = stream.accumulate();
          assertThat(stream.completed()).isTrue();
          assertThat(stream.comments()).isEqualTo(4);
          assertThat(acc.chunks()).isEqualTo(14);
          assertThat(acc.provider()).isEqualTo("Google");
          assertThat(acc.text()).isEqualTo("2 + 2 = 4");
          assertThat(acc.reasoning())
              .isEqualTo("This is a simple arithmetic question. 2+2 equals 4.");
          assertThat(acc.reasoningDetails())
              .singleElement()
              .satisfies(
                  d -> {
                    assertThat(d.type()).isEqualTo("reasoning.text");
                    assertThat(d.text()).isEqualTo(acc.reasoning());
                    assertThat(d.signature()).startsWith("Et0BCkgIChAC");
                  });
          assertThat(acc.usage())
              .hasValueSatisfying(u -> assertThat(u.cost()).isEqualByComparingTo("0.000669"));
        });
  }

  @Test
  void streamedServerToolAnswerKeepsItsUsageChunkWithChoices() {
    withStream(
        "stream-server-tool-usage.sse",
        stream -> {
          assertThat(stream.textDeltas().reduce("", String::concat))
              .isEqualTo(
                  "I recommend naming your Python retry library `resilix`, as it conveys"
                      + " resilience and is modern and brandable.");
          StreamAccumulator acc = stream.accumulated();
          assertThat(acc.finishReason()).hasValue("stop");
          assertThat(acc.usage())
              .hasValueSatisfying(
                  u -> {
                    assertThat(u.cost()).isEqualByComparingTo("0.0145476");
                    assertThat(u.promptTokens()).isEqualTo(888);
                    assertThat(u.costDetails().upstreamInferenceCost())
                        .isEqualByComparingTo("0.0001776");
                  });
          assertThat(stream.comments()).isEqualTo(30);
        });
  }

  @Test
  void streamedWebSearchAnnotationsBecomeCitations() {
    withStream(
        "stream-web-search-annotations.sse",
        stream -> {
          StreamAccumulator acc = stream.accumulate();
          assertThat(acc.text()).endsWith("https://github.com/pydantic/pydantic-ai");
          assertThat(acc.citations()).hasSize(5);
          assertThat(acc.citations())
              .extracting(UrlCitation::url)
              .contains("https://github.com/pydantic/pydantic-ai");
          assertThat(acc.usage())
              .hasValueSatisfying(
                  u -> assertThat(u.cost()).isEqualTo(new BigDecimal("0.0076509169000000005")));
        });
  }
}
