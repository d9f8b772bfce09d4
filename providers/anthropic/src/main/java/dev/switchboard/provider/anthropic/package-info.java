/**
 * The Anthropic Messages adapter ({@code POST /v1/messages}).
 *
 * <p>{@link dev.switchboard.provider.anthropic.AnthropicAdapter} wires role-split pieces: {@code
 * AnthropicRequestMapper} (sampling, tools, reasoning budget, structured output) with {@code
 * AnthropicMessages} (system hoisting, tool results, thinking blocks, images and documents), {@code
 * AnthropicResponseMapper}, the {@code AnthropicStreamDecoder} state machine, {@code
 * AnthropicErrors}, and the records of {@code AnthropicWire}. {@link
 * dev.switchboard.provider.anthropic.AnthropicProfiles} holds the profile data.
 *
 * <p>Quirks handled, each pinned by a recorded fixture: JSON padded with spaces before the closing
 * brace; {@code {"type": "ping"}}; block indices that are not tool indices; a first {@code
 * input_json_delta} that is empty; a tool with no arguments at all; usage split between {@code
 * message_start} and {@code message_delta}, with {@code input_tokens} that exclude cache reads and
 * writes; {@code signature_delta} at the end of a thinking block; {@code redacted_thinking}; server
 * tool blocks in the same stream as text; {@code event: error} in a 200 stream. See {@code
 * docs/providers/anthropic.md} and https://docs.anthropic.com/en/api/messages.
 */
package dev.switchboard.provider.anthropic;
