package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The decoder's plain-chunk path (one streaming pass, no tree) gives exactly the events the tree
 * path gives, chunk by chunk: over every recorded stream, and over chunks built to sit on the
 * border of what counts as plain.
 */
class OpenAiPlainChunkTest {

  private static final List<String> STREAMS =
      List.of(
          "fixtures/openai/chat-stream-finish-length.sse",
          "fixtures/openai/chat-stream-logprobs.sse",
          "fixtures/openai/chat-stream-moderation-gpt-5.sse",
          "fixtures/openai/chat-stream-n3-choices.sse",
          "fixtures/openai/chat-stream-parallel-tool-calls.sse",
          "fixtures/openai/chat-stream-refusal-logprobs.sse",
          "fixtures/openai/chat-stream-refusal.sse",
          "fixtures/openai/chat-stream-text-after-tool-2026.sse",
          "fixtures/openai/chat-stream-text-gpt-4.1-nano.chunks.txt",
          "fixtures/openai/chat-stream-text.sse",
          "fixtures/openai/chat-stream-tool-call-2026.sse",
          "fixtures/openai/chat-stream-tool-call-nonstrict.sse",
          "fixtures/openai/chat-stream-tool-call.sse",
          "fixtures/openai-compatible/anthropic-compat-tool-call.sse",
          "fixtures/openai-compatible/groq-stream-midstream-error-event.sse",
          "fixtures/openai-compatible/xai-tool-call.chunks.txt",
          "fixtures/openrouter/stream-midstream-error.sse",
          "fixtures/openrouter/stream-reasoning.sse",
          "fixtures/openrouter/stream-server-tool-usage.sse",
          "fixtures/openrouter/stream-web-search-annotations.sse");

  @TestFactory
  Stream<DynamicTest> recordedStreamsDecodeTheSameOnBothPaths() {
    return STREAMS.stream()
        .map(
            resource ->
                DynamicTest.dynamicTest(
                    resource, () -> assertSameEvents(Fixtures.sseEvents(resource))));
  }

  @Test
  void chunksOnTheBorderOfPlainDecodeTheSameOnBothPaths() {
    String head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",";
    List<String> chunks =
        List.of(
            head
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
            head
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\"}}]}",
            head + "\"choices\":[{\"delta\":{\"content\":\"no index\"}}]}",
            head + "\"choices\":[{\"index\":1,\"delta\":{\"content\":\"choice one\"}}]}",
            head + "\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"text index\"}}]}",
            head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"refusal\":\"\"}}]}",
            head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":7}}]}",
            head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}",
            head + "\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"r\"}}]}",
            head
                + "\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":null,\"tool_calls\":null}}]}",
            head + "\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"no\"}}]}",
            head + "\"choices\":[{\"index\":0,\"delta\":null,\"finish_reason\":\"length\"}]}",
            head
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"native_finish_reason\":\"end_turn\",\"stop_reason\":\"\\n\\n\"}]}",
            head
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"stop_reason\":50256}]}",
            head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":7}]}",
            head
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"logprobs\":{\"content\":[]}}]}",
            head
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}},{\"index\":1,\"delta\":{\"content\":\"y\"}}]}",
            head
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12,\"prompt_tokens_details\":{\"cached_tokens\":2},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}",
            head
                + "\"choices\":[],\"usage\":null,\"x_groq\":{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}}",
            head + "\"choices\":[],\"usage\":{\"prompt_tokens\":1.5e0}}",
            head + "\"choices\":null,\"usage\":3}",
            head + "\"choices\":[],\"error\":null}",
            head + "\"choices\":[],\"error\":{\"code\":502,\"message\":\"boom\"}}",
            "{\"id\":\"c\",\"id\":\"d\",\"choices\":[]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"no id\"}}]}",
            "[1,2]",
            "{\"choices\":[{\"delta\":",
            "{\"choices\":[]} trailing");
    for (String chunk : chunks) {
      // Each chunk alone (as the first of its stream), then all of them in one stream.
      assertSameEvents(List.of(SseEvent.data(chunk)));
    }
    assertSameEvents(chunks.stream().map(SseEvent::data).toList());
  }

  private static void assertSameEvents(List<SseEvent> stream) {
    OpenAiStreamDecoder plain = new OpenAiStreamDecoder(TestTargets.of("openai"), true);
    OpenAiStreamDecoder tree = new OpenAiStreamDecoder(TestTargets.of("openai"), false);
    for (SseEvent event : stream) {
      List<StreamEvent> fromPlain = new ArrayList<>(plain.onEvent(event));
      List<StreamEvent> fromTree = new ArrayList<>(tree.onEvent(event));
      assertThat(fromPlain).as(event.data()).isEqualTo(fromTree);
    }
    assertThat(plain.onEnd()).isEqualTo(tree.onEnd());
    assertThat(plain.finished()).isEqualTo(tree.finished());
  }
}
