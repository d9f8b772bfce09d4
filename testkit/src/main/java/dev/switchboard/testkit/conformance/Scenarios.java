package dev.switchboard.testkit.conformance;

import static dev.switchboard.testkit.conformance.ScenarioRequests.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatCompletion;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.OpenAiChatCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Scenario} through a {@link ConformanceDriver} and checks the outcome; a failed
 * check throws {@link AssertionError}. The checks are dialect-neutral: they look at the canonical
 * response or events, and at the body the adapter sent where a scenario is about the request.
 */
final class Scenarios {

  private Scenarios() {}

  /** The scenario's first request in canonical form. */
  static LlmRequest firstRequest(Scenario scenario) {
    return canonical(ScenarioRequests.request(scenario));
  }

  static void run(Scenario scenario, ConformanceDriver driver) {
    Exchange first = driver.send(firstRequest(scenario), ScenarioRequests.fault(scenario));
    switch (scenario) {
      case SIMPLE -> {
        LlmResponse r = completed(first);
        assertText(r);
        assertThat(r.toolCalls()).isEmpty();
        assertUsage(r.usage());
      }
      case SYSTEM_PROMPT -> {
        assertText(completed(first));
        assertThat(upstream(first)).contains(ScenarioRequests.SYSTEM_TEXT);
      }
      case MULTI_TURN -> {
        assertThat(completed(first).content()).contains(ScenarioRequests.LAST_QUESTION);
        assertThat(upstream(first)).contains(ScenarioRequests.EARLIER_ANSWER);
      }
      case TOOLS, TOOL_CHOICE_AUTO -> assertCalls(completed(first), "get_weather");
      case TOOL_CHOICE_NONE -> {
        LlmResponse r = completed(first);
        assertText(r);
        assertThat(r.toolCalls()).isEmpty();
      }
      case TOOL_CHOICE_REQUIRED -> {
        LlmResponse r = completed(first);
        assertThat(r.toolCalls()).hasSize(1);
        assertCalls(r, r.toolCalls().getFirst().name());
      }
      case TOOL_CHOICE_FUNCTION -> assertCalls(completed(first), "get_time");
      case PARALLEL_TOOLS -> assertCalls(completed(first), "get_weather", "get_time");
      case STREAMED_TOOLS -> assertStreamedCalls(streamed(first), "get_weather", "get_time");
      case TOOL_RESULTS -> {
        LlmResponse r = completed(first);
        assertThat(r.content()).contains(ScenarioRequests.TOOL_RESULT);
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      }
      case REASONING -> {
        assertReasoning(completed(first));
        String stream =
            ScenarioRequests.user(
                "Think about the number 42", ScenarioRequests.REASONING, "\"stream\":true");
        assertStreamedReasoning(streamed(driver.send(canonical(stream), null)));
      }
      case REASONING_ROUND_TRIP -> roundTrip(first, driver);
      case JSON_SCHEMA -> {
        LlmResponse r = completed(first);
        JsonNode person = json(r.content());
        assertThat(person.path("name").isTextual()).as("name in %s", r.content()).isTrue();
        assertThat(person.path("age").isIntegralNumber()).as("age in %s", r.content()).isTrue();
        assertThat(r.toolCalls()).isEmpty();
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      }
      case IMAGE -> {
        assertText(completed(first));
        assertThat(upstream(first))
            .contains(ScenarioRequests.IMAGE_URL)
            .contains(ScenarioRequests.IMAGE_DATA);
      }
      case PDF -> {
        assertText(completed(first));
        assertThat(upstream(first)).contains(ScenarioRequests.PDF_DATA);
      }
      case AUDIO -> {
        assertText(completed(first));
        assertThat(upstream(first)).contains(ScenarioRequests.AUDIO_DATA);
      }
      case VIDEO -> {
        assertText(completed(first));
        assertThat(upstream(first)).contains(ScenarioRequests.VIDEO_URL);
      }
      case STOP_SEQUENCES -> {
        LlmResponse r = completed(first);
        assertText(r);
        assertThat(r.content()).doesNotContain(ScenarioRequests.STOP);
        assertThat(upstream(first)).contains(q(ScenarioRequests.STOP));
      }
      case USAGE_IN_STREAM -> assertStreamedText(streamed(first));
      case ERROR_400 ->
          assertFailure(
              first, 400, FailureClass.UPSTREAM_INVALID_REQUEST, FailureClass.CONTEXT_TOO_LONG);
      case ERROR_401 -> assertFailure(first, 502, FailureClass.UPSTREAM_CREDENTIAL);
      case ERROR_404 -> assertFailure(first, 404, FailureClass.UPSTREAM_MODEL_UNAVAILABLE);
      case ERROR_429 -> {
        assertFailure(first, 429, FailureClass.UPSTREAM_RATE_LIMITED);
        assertThat(((Exchange.Failed) first).error().retryAfterSeconds()).isEqualTo(7L);
      }
      case ERROR_500 -> assertFailure(first, 502, FailureClass.UPSTREAM_TRANSIENT);
      case ERROR_OVERLOADED -> {
        assertFailure(first, 503, FailureClass.UPSTREAM_OVERLOADED);
        assertThat(((Exchange.Failed) first).error().retryAfterSeconds()).isEqualTo(7L);
      }
      case MID_STREAM_ERROR -> assertMidStreamFailure(streamed(first));
    }
  }

  /** Turn 1 asks for a tool with reasoning; turn 2 sends the answer back as a client would. */
  private static void roundTrip(Exchange first, ConformanceDriver driver) {
    LlmResponse r = completed(first);
    assertThat(r.toolCalls()).as("a tool call in turn 1").isNotEmpty();
    assertThat(r.reasoningDetails()).as("reasoning_details in turn 1").isNotNull().isNotEmpty();
    ChatCompletion completion =
        OpenAiChatCodec.toCompletion(
            r,
            "gen-conformance",
            "conformance/model",
            "Conformance",
            0L,
            OpenAiChatCodec.toApiUsage(r.usage(), null, null));
    JsonNode message = ApiJson.toTree(completion.choices().getFirst().message());
    StringBuilder messages = new StringBuilder("[{\"role\":\"user\",\"content\":");
    messages
        .append(q("What is the weather in Paris?"))
        .append("},")
        .append(ApiJson.string(message));
    for (ToolCall call : r.toolCalls()) {
      messages.append(",{\"role\":\"tool\",\"tool_call_id\":").append(q(call.id()));
      messages.append(",\"content\":").append(q(ScenarioRequests.TOOL_RESULT)).append('}');
    }
    messages.append(']');
    String second =
        ScenarioRequests.body(
            messages.toString(),
            "\"tools\":[" + ScenarioRequests.WEATHER + "]",
            ScenarioRequests.REASONING);
    Exchange answer = driver.send(canonical(second), null);
    LlmResponse r2 = completed(answer);
    assertThat(r2.content()).contains(ScenarioRequests.TOOL_RESULT);
    String returned = null;
    for (JsonNode detail : r.reasoningDetails()) {
      for (String field : List.of("signature", "data")) {
        if (detail.path(field).isTextual() && !detail.path(field).textValue().isEmpty()) {
          returned = detail.path(field).textValue();
        }
      }
    }
    assertThat(returned).as("a signed or encrypted reasoning detail in turn 1").isNotNull();
    assertThat(upstream(answer)).as("turn 2 carries the reasoning back").contains(returned);
  }

  private static void assertReasoning(LlmResponse r) {
    assertText(r);
    assertThat(r.reasoning()).as("reasoning").isNotBlank();
    assertThat(r.reasoningDetails()).as("reasoning_details").isNotNull().isNotEmpty();
    assertThat(hasProof(r.reasoningDetails())).as("a signed reasoning detail").isTrue();
    assertThat(r.usage().reasoningTokens())
        .isPositive()
        .isLessThanOrEqualTo(r.usage().completionTokens());
  }

  private static void assertStreamedReasoning(List<StreamEvent> events) {
    int firstReasoning = -1;
    int firstText = -1;
    boolean proof = false;
    for (int i = 0; i < events.size(); i++) {
      StreamEvent event = events.get(i);
      if (event instanceof StreamEvent.ReasoningDelta d) {
        if (firstReasoning < 0 && d.text() != null && !d.text().isEmpty()) {
          firstReasoning = i;
        }
        proof |= d.detail() != null && hasProof(ApiJson.nodes().arrayNode().add(d.detail()));
      } else if (event instanceof StreamEvent.TextDelta && firstText < 0) {
        firstText = i;
      }
    }
    assertThat(firstReasoning).as("streamed reasoning text").isNotNegative();
    assertThat(firstText).as("text after the reasoning").isGreaterThan(firstReasoning);
    assertThat(proof).as("a streamed signature").isTrue();
    assertThat(lastUsage(events).reasoningTokens()).isPositive();
  }

  private static boolean hasProof(JsonNode details) {
    for (JsonNode detail : details) {
      if (!detail.path("signature").asText("").isEmpty()
          || !detail.path("data").asText("").isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static void assertCalls(LlmResponse r, String... names) {
    assertThat(r.toolCalls()).extracting(ToolCall::name).containsExactly(names);
    assertThat(r.toolCalls())
        .extracting(ToolCall::id)
        .doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).isNotBlank());
    for (ToolCall call : r.toolCalls()) {
      assertThat(json(call.arguments()).isObject()).as("arguments of %s", call.name()).isTrue();
    }
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  private static void assertStreamedCalls(List<StreamEvent> events, String... names) {
    Map<Integer, String> started = new LinkedHashMap<>();
    Map<Integer, StringBuilder> arguments = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    FinishReason finish = null;
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.ToolCallStarted s) {
        assertThat(started).as("index %s starts once", s.index()).doesNotContainKey(s.index());
        started.put(s.index(), s.name());
        arguments.put(s.index(), new StringBuilder());
        ids.add(s.id());
      } else if (event instanceof StreamEvent.ToolCallDelta d) {
        assertThat(arguments).as("delta for a started call").containsKey(d.index());
        arguments.get(d.index()).append(d.argumentsFragment());
      } else if (event instanceof StreamEvent.Finished f) {
        finish = f.reason();
      } else if (event instanceof StreamEvent.Failed f) {
        fail("stream failed: " + f.error());
      }
    }
    assertThat(started.keySet())
        .as("dense indices from 0")
        .containsExactly(denseFromZero(names.length));
    assertThat(started.values()).containsExactly(names);
    assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank());
    arguments.forEach(
        (i, a) -> assertThat(json(a.toString()).isObject()).as("arguments %s", i).isTrue());
    assertThat(finish).isEqualTo(FinishReason.TOOL_CALLS);
  }

  private static void assertStreamedText(List<StreamEvent> events) {
    assertThat(events.getFirst()).isInstanceOf(StreamEvent.Started.class);
    StringBuilder text = new StringBuilder();
    FinishReason finish = null;
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.TextDelta t) {
        text.append(t.text());
      } else if (event instanceof StreamEvent.Finished f) {
        finish = f.reason();
      } else if (event instanceof StreamEvent.Failed f) {
        fail("stream failed: " + f.error());
      }
    }
    assertThat(text.toString()).isNotBlank();
    assertThat(finish).isEqualTo(FinishReason.STOP);
    assertUsage(lastUsage(events));
  }

  private static void assertMidStreamFailure(List<StreamEvent> events) {
    assertThat(events)
        .as("some text before the error")
        .anyMatch(e -> e instanceof StreamEvent.TextDelta);
    assertThat(events.getLast()).isInstanceOf(StreamEvent.Failed.class);
    assertThat(events).noneMatch(e -> e instanceof StreamEvent.Finished);
    GatewayError error = ((StreamEvent.Failed) events.getLast()).error();
    assertThat(error.kind().isCallerFault()).as("an upstream failure: %s", error.kind()).isFalse();
    assertThat(error.kind().triesNextCandidate()).isTrue();
  }

  private static void assertFailure(Exchange exchange, int status, FailureClass... kinds) {
    if (!(exchange instanceof Exchange.Failed failed)) {
      throw new AssertionError("expected a classified failure, got " + describe(exchange));
    }
    GatewayError error = failed.error();
    assertThat(error.kind()).isIn((Object[]) kinds);
    assertThat(error.httpStatus()).isEqualTo(status);
    assertThat(error.message()).isEqualTo("Provider returned error");
    assertThat(error.raw()).isNotBlank();
  }

  private static void assertText(LlmResponse r) {
    assertThat(r.content()).as("content").isNotBlank();
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
  }

  private static void assertUsage(Usage usage) {
    assertThat(usage.promptTokens()).as("prompt tokens").isPositive();
    assertThat(usage.completionTokens()).as("completion tokens").isPositive();
  }

  private static Usage lastUsage(List<StreamEvent> events) {
    Usage usage = null;
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.UsageReported u) {
        usage = u.usage();
      }
    }
    assertThat(usage).as("usage in the stream").isNotNull();
    return usage;
  }

  private static LlmResponse completed(Exchange exchange) {
    if (exchange instanceof Exchange.Completed c) {
      return c.response();
    }
    throw new AssertionError("expected a completed answer, got " + describe(exchange));
  }

  private static List<StreamEvent> streamed(Exchange exchange) {
    if (exchange instanceof Exchange.Streamed s) {
      return s.events();
    }
    throw new AssertionError("expected a stream, got " + describe(exchange));
  }

  private static String upstream(Exchange exchange) {
    return switch (exchange) {
      case Exchange.Completed c -> c.upstreamBody();
      case Exchange.Streamed s -> s.upstreamBody();
      case Exchange.Failed f -> f.upstreamBody();
      case Exchange.Rejected r -> "";
    };
  }

  static String describe(Exchange exchange) {
    return switch (exchange) {
      case Exchange.Completed c -> "a completed answer " + c.response();
      case Exchange.Streamed s -> "a stream of " + s.events().size() + " events " + s.events();
      case Exchange.Failed f -> "a failure " + f.error();
      case Exchange.Rejected r -> "a rejection: " + r.exception().getMessage();
    };
  }

  private static Integer[] denseFromZero(int n) {
    Integer[] out = new Integer[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  static LlmRequest canonical(String json) {
    return OpenAiChatCodec.toCanonical(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(String text) {
    try {
      JsonNode node = ApiJson.tree(text == null ? "null" : text);
      return node == null ? ApiJson.nodes().nullNode() : node;
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
