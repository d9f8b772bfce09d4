package dev.switchboard.provider.anthropic;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}): the canonical request to an Anthropic body
 * ({@link AnthropicRequestMapper}), the answer back ({@link AnthropicResponseMapper}, {@link
 * AnthropicStreamDecoder}) and failures classified ({@link AnthropicErrors}). Pure and stateless;
 * one instance serves every request. See {@code docs/providers/anthropic.md}.
 */
public final class AnthropicAdapter implements ProviderAdapter {

  /** The dialect id profiles name. */
  public static final String DIALECT = AnthropicProfiles.DIALECT;

  /** An adapter; it holds no state, so one instance can be shared. */
  public AnthropicAdapter() {}

  @Override
  public String dialect() {
    return DIALECT;
  }

  /**
   * {@code POST <base URL>/messages} with the mapped body; the key in the profile's auth header
   * ({@code x-api-key}, omitted when the target has none) and {@code anthropic-version}. Throws
   * {@code GatewayException(INVALID_REQUEST)} for what Anthropic cannot take (audio, video, a
   * forced tool together with reasoning, ...), before anything is sent.
   */
  @Override
  public HttpCall encode(LlmRequest request, Target target) {
    byte[] body = AnthropicRequestMapper.body(request, target);
    return HttpCall.jsonPost(url(target), target, request.stream(), body);
  }

  @Override
  public LlmResponse decode(UpstreamResponse response, Target target) {
    return AnthropicResponseMapper.map(response, target);
  }

  @Override
  public StreamDecoder newStreamDecoder(Target target) {
    return new AnthropicStreamDecoder(target);
  }

  @Override
  public GatewayError classify(UpstreamResponse response, Target target) {
    return AnthropicErrors.classify(response, target);
  }

  /** The target's base URL, or the profile's default, plus the messages path. */
  static String url(Target target) {
    return target.baseUrlOrDefault() + target.profile().chatPath();
  }
}
