/**
 * The OpenAI chat-completions adapter and the OpenAI-compatible vendor profiles.
 *
 * <p>One adapter ({@link dev.switchboard.provider.openai.OpenAiAdapter}) speaks to api.openai.com
 * and to every vendor that copies its wire format; what differs per vendor (base URL, auth header,
 * the name of the output limit, parameters the vendor rejects, stream quirks) is a {@link
 * dev.switchboard.core.provider.DialectProfile} loaded from {@code profiles.json} by {@link
 * dev.switchboard.provider.openai.OpenAiProfiles}. Files are split by role: request mapping,
 * message writing, response mapping, the stream decoder, usage and error classification.
 *
 * <p>Quirks handled, each pinned by a recorded fixture: OpenAI's {@code obfuscation} padding and
 * {@code usage:null} on every chunk; DeepSeek/xAI {@code reasoning_content}; xAI whole tool calls
 * in one chunk and reasoning tokens outside {@code completion_tokens}; Groq {@code event: error} in
 * a 200 stream; Anthropic's compatibility layer starting tool indices at 1; OpenRouter's processing
 * comments, repeated roles and finish reasons, and in-band error chunks. See {@code
 * docs/providers/openai.md}.
 */
package dev.switchboard.provider.openai;
