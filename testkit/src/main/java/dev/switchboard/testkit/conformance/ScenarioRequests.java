package dev.switchboard.testkit.conformance;

import dev.switchboard.api.json.ApiJson;

/**
 * The OpenAI-format client request each {@link Scenario} starts with, and the simulator fault (the
 * {@code x-sim-fault} header) it runs under. Texts are chosen so the simulator's deterministic
 * answers can be checked: it answers {@code "Simulated answer to: <first words>..."}, quotes tool
 * results, calls the named (else the first) tool, and the first two tools for {@code required}.
 */
final class ScenarioRequests {

  static final String SYSTEM_TEXT = "You are the conformance suite.";
  static final String EARLIER_ANSWER = "Apples are red.";
  static final String LAST_QUESTION = "Second question about pears";
  static final String TOOL_RESULT = "18C and sunny";
  static final String IMAGE_URL = "https://example.com/cat.png";
  static final String IMAGE_DATA = "iVBORw0KGgoAAAANSUhEUg==";
  static final String PDF_DATA = "JVBERi0xLjQKJcfsj6IK";
  static final String AUDIO_DATA = "UklGRiQAAABXQVZFZm10IBAAAAAB";
  static final String VIDEO_URL = "https://example.com/clip.mp4";
  static final String STOP = "answer";

  static final String WEATHER =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
          + "\"Current weather of a city\",\"parameters\":{\"type\":\"object\",\"properties\":"
          + "{\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\",\"enum\":[\"c\",\"f\"]}},"
          + "\"required\":[\"city\",\"unit\"]}}}";
  static final String TIME =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"description\":"
          + "\"Local time of a time zone\",\"parameters\":{\"type\":\"object\",\"properties\":"
          + "{\"zone\":{\"type\":\"string\"}},\"required\":[\"zone\"]}}}";
  static final String BOTH_TOOLS = "\"tools\":[" + WEATHER + "," + TIME + "]";
  static final String REASONING = "\"reasoning\":{\"effort\":\"low\"},\"max_tokens\":4000";

  private ScenarioRequests() {}

  /** The first (for most scenarios the only) request. */
  static String request(Scenario scenario) {
    return switch (scenario) {
      case SIMPLE -> user("Say hello to the conformance matrix");
      case SYSTEM_PROMPT ->
          body(
              "[{\"role\":\"system\",\"content\":"
                  + q(SYSTEM_TEXT)
                  + "},"
                  + "{\"role\":\"user\",\"content\":\"Who are you?\"}]");
      case MULTI_TURN ->
          body(
              "[{\"role\":\"user\",\"content\":\"First question about apples\"},"
                  + "{\"role\":\"assistant\",\"content\":"
                  + q(EARLIER_ANSWER)
                  + "},{\"role\":\"user\",\"content\":"
                  + q(LAST_QUESTION)
                  + "}]");
      case TOOLS -> user("What is the weather in Paris?", "\"tools\":[" + WEATHER + "]");
      case TOOL_CHOICE_AUTO ->
          user(
              "What is the weather in Paris?",
              "\"tools\":[" + WEATHER + "]",
              "\"tool_choice\":\"auto\"");
      case TOOL_CHOICE_NONE ->
          user(
              "What is the weather in Paris?",
              "\"tools\":[" + WEATHER + "]",
              "\"tool_choice\":\"none\"");
      case TOOL_CHOICE_REQUIRED ->
          user(
              "Weather in Paris and the time in Tokyo?",
              BOTH_TOOLS,
              "\"tool_choice\":\"required\"",
              "\"parallel_tool_calls\":false");
      case TOOL_CHOICE_FUNCTION ->
          user(
              "Weather in Paris and the time in Tokyo?",
              BOTH_TOOLS,
              "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}");
      case PARALLEL_TOOLS ->
          user(
              "Weather in Paris and the time in Tokyo?",
              BOTH_TOOLS,
              "\"tool_choice\":\"required\"");
      case STREAMED_TOOLS ->
          user(
              "Weather in Paris and the time in Tokyo?",
              BOTH_TOOLS,
              "\"tool_choice\":\"required\"",
              "\"stream\":true");
      case TOOL_RESULTS -> toolResults("\"tools\":[" + WEATHER + "]");
      case REASONING -> user("Think about the number 42", REASONING);
      case REASONING_ROUND_TRIP ->
          user("What is the weather in Paris?", "\"tools\":[" + WEATHER + "]", REASONING);
      case JSON_SCHEMA ->
          user(
              "Alice is 30. Extract the person.",
              "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"person\","
                  + "\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{\"name\":"
                  + "{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}},\"required\":"
                  + "[\"name\",\"age\"],\"additionalProperties\":false}}}");
      case IMAGE ->
          parts(
              "{\"type\":\"text\",\"text\":\"Describe these images\"},"
                  + "{\"type\":\"image_url\",\"image_url\":{\"url\":"
                  + q(IMAGE_URL)
                  + "}},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                  + q("data:image/png;base64," + IMAGE_DATA)
                  + "}}");
      case PDF ->
          parts(
              "{\"type\":\"text\",\"text\":\"Summarise the document\"},"
                  + "{\"type\":\"file\",\"file\":{\"filename\":\"doc.pdf\",\"file_data\":"
                  + q("data:application/pdf;base64," + PDF_DATA)
                  + "}}");
      case AUDIO ->
          parts(
              "{\"type\":\"text\",\"text\":\"Transcribe this\"},"
                  + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":"
                  + q(AUDIO_DATA)
                  + ",\"format\":\"wav\"}}");
      case VIDEO ->
          parts(
              "{\"type\":\"text\",\"text\":\"Describe the clip\"},"
                  + "{\"type\":\"video_url\",\"video_url\":{\"url\":"
                  + q(VIDEO_URL)
                  + "}}");
      case STOP_SEQUENCES -> user("Tell me about stop sequences", "\"stop\":[" + q(STOP) + "]");
      case USAGE_IN_STREAM, MID_STREAM_ERROR ->
          user("Stream me a short reply please", "\"stream\":true");
      case ERROR_400, ERROR_401, ERROR_404, ERROR_429, ERROR_500, ERROR_OVERLOADED ->
          user("This request meets a simulated upstream error");
    };
  }

  /** The simulator fault the first request carries, or null. */
  static String fault(Scenario scenario) {
    return switch (scenario) {
      case ERROR_400 -> status(400, false);
      case ERROR_401 -> status(401, false);
      case ERROR_404 -> status(404, false);
      case ERROR_429 -> status(429, true);
      case ERROR_500 -> status(500, false);
      case ERROR_OVERLOADED -> status(529, true);
      case MID_STREAM_ERROR -> "{\"kind\":\"error_event\",\"after_chunks\":3}";
      case SIMPLE,
          SYSTEM_PROMPT,
          MULTI_TURN,
          TOOLS,
          TOOL_CHOICE_AUTO,
          TOOL_CHOICE_NONE,
          TOOL_CHOICE_REQUIRED,
          TOOL_CHOICE_FUNCTION,
          PARALLEL_TOOLS,
          STREAMED_TOOLS,
          TOOL_RESULTS,
          REASONING,
          REASONING_ROUND_TRIP,
          JSON_SCHEMA,
          IMAGE,
          PDF,
          AUDIO,
          VIDEO,
          STOP_SEQUENCES,
          USAGE_IN_STREAM ->
          null;
    };
  }

  /** A user turn, an assistant tool call and its result; {@code members} adds top-level fields. */
  static String toolResults(String... members) {
    return body(
        "[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_w1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
            + q("{\"city\":\"Paris\",\"unit\":\"c\"}")
            + "}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_w1\",\"content\":"
            + q(TOOL_RESULT)
            + "}]",
        members);
  }

  private static String status(int status, boolean retryAfter) {
    return "{\"kind\":\"status\",\"status\":"
        + status
        + (retryAfter ? ",\"headers\":{\"Retry-After\":\"7\"}" : "")
        + "}";
  }

  static String user(String text, String... members) {
    return body("[{\"role\":\"user\",\"content\":" + q(text) + "}]", members);
  }

  private static String parts(String parts) {
    return body("[{\"role\":\"user\",\"content\":[" + parts + "]}]");
  }

  static String body(String messages, String... members) {
    StringBuilder out = new StringBuilder("{\"model\":\"conformance/model\",\"messages\":");
    out.append(messages);
    for (String member : members) {
      out.append(',').append(member);
    }
    return out.append('}').toString();
  }

  static String q(String text) {
    return ApiJson.string(text);
  }
}
