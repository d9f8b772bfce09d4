package dev.switchboard.simulator.dialect;

import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Prompt;

/**
 * One upstream wire dialect: it parses the dialect's request into a {@link Prompt} and renders a
 * {@link Plan} (and faults) in the dialect's own response shapes. Pure: no sockets, no timers.
 *
 * <p>OpenAI's chat completions dialect is {@link OpenAiDialect}; Anthropic messages and Gemini
 * generateContent will be sibling implementations.
 */
public sealed interface Dialect permits OpenAiDialect, AnthropicDialect, GeminiDialect {

  /** A short name, such as {@code openai}. */
  String name();

  /** Parses and validates a request body. */
  Prompt parse(byte[] body) throws DialectException;

  /** Renders the reply to {@code prompt}. */
  Response respond(Prompt prompt, Plan plan);

  /** The body this dialect's upstream sends with an error status (recorded where we have one). */
  String errorBody(int status);

  /** The body for a request the dialect rejected. */
  String badRequestBody(DialectException e);

  /** The body for a path the dialect does not serve. */
  String notFoundBody(String method, String path);

  /** The {@code Content-Type} of a streamed response. */
  String streamContentType();

  /** One rendered reply and the fault variants of it. */
  interface Response {

    /** The non-streaming response body. */
    String json();

    /** The streaming response, frame by frame. */
    Frames frames();

    /** A non-streaming body that is not valid JSON. */
    String malformedJson();

    /** Appends a frame whose data is not valid JSON. */
    void appendMalformedFrame(StringBuilder out);

    /**
     * Appends a mid-stream error: {@code event: error} plus data when {@code namedEvent}, else a
     * plain data frame. {@code body} null means the dialect's default error payload.
     */
    void appendErrorFrame(StringBuilder out, boolean namedEvent, String body);

    /** The non-streaming body of a 200 response that carries an error instead of a reply. */
    String errorJson(String body);

    /**
     * The non-streaming body of a reply that failed after {@code afterTokens} tokens of output; by
     * default the dialect's error body (its providers have no such answer).
     */
    default String partialJson(int afterTokens) {
      return errorJson(null);
    }
  }
}
