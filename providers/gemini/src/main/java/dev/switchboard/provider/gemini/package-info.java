/**
 * Google's Gemini API (Generative Language v1beta: {@code generateContent} and {@code
 * streamGenerateContent?alt=sse}).
 *
 * <p>One adapter, {@link dev.switchboard.provider.gemini.GeminiAdapter}, files split by role:
 * request mapping ({@code GeminiRequestMapper}, {@code GeminiMessageWriter}, {@code GeminiMedia},
 * {@code GeminiReasoning}, {@code GeminiSchemas}), response mapping, the stream decoder, usage and
 * error classification; wire records in {@code GeminiWire}.
 *
 * <p>Quirks handled, each pinned by a recorded fixture: SSE without {@code [DONE]} and with {@code
 * ", "} separators; {@code usageMetadata} on every chunk, changing as it goes (the last counts); no
 * tool-call ids (stable ones are made); thought signatures on text or function-call parts, kept
 * across turns through {@code reasoning_details}; Vertex's streamed function-call arguments;
 * prompts blocked before any candidate; safety finishes with empty content; thinking models that
 * hit the output limit with nothing visible; 429s with {@code RetryInfo}. See {@code
 * docs/providers/gemini.md}.
 */
package dev.switchboard.provider.gemini;
