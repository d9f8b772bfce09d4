package dev.switchboard.provider.openai;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.provider.DialectProfile;
import dev.switchboard.core.provider.Embeddings;
import dev.switchboard.core.provider.EmbeddingsReader;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.core.provider.VectorFeed;

/**
 * The OpenAI chat-completions dialect: api.openai.com and every OpenAI-compatible vendor, whose
 * differences are a {@link DialectProfile} ({@link OpenAiProfiles}), not code. Pure and stateless;
 * one instance serves every request.
 */
public final class OpenAiAdapter implements ProviderAdapter, Embeddings {

  /** The dialect id profiles name. */
  public static final String DIALECT = OpenAiProfiles.DIALECT;

  /** An adapter; it holds no state, so one instance can be shared. */
  public OpenAiAdapter() {}

  @Override
  public String dialect() {
    return DIALECT;
  }

  /**
   * {@code POST <base URL><chat path>} with the mapped JSON body; the credential goes in the
   * profile's auth header (omitted when the target has no key), plus the profile's extra headers.
   */
  @Override
  public HttpCall encode(LlmRequest request, Target target) {
    return HttpCall.jsonPost(
        url(target), target, request.stream(), OpenAiRequestMapper.body(request, target));
  }

  @Override
  public HttpCall encodeEmbeddings(LlmRequest request, Target target) {
    return OpenAiEmbeddings.encode(request, target);
  }

  @Override
  public EmbeddingsReader embeddingsReader(
      LlmRequest request, Target target, VectorFeed.Sink sink) {
    return OpenAiEmbeddings.reader(request, target, sink);
  }

  @Override
  public LlmResponse decode(UpstreamResponse response, Target target) {
    return OpenAiResponseMapper.map(response, target);
  }

  @Override
  public StreamDecoder newStreamDecoder(Target target) {
    return new OpenAiStreamDecoder(target);
  }

  @Override
  public GatewayError classify(UpstreamResponse response, Target target) {
    return OpenAiErrors.classify(response, target);
  }

  /** The target's base URL, or the profile's default, plus the chat path. */
  static String url(Target target) {
    return target.baseUrlOrDefault() + target.profile().chatPath();
  }
}
