package dev.switchboard.provider.gemini;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.media.MediaRef;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.provider.Embeddings;
import dev.switchboard.core.provider.EmbeddingsReader;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.NeedsMediaBytes;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.core.provider.VectorFeed;
import java.util.List;

/**
 * Google's Gemini dialect ({@code generateContent}, {@code streamGenerateContent?alt=sse}). Pure
 * and stateless; one instance serves every request. The pieces: {@link GeminiRequestMapper} (with
 * {@link GeminiMessageWriter}, {@link GeminiMedia}, {@link GeminiReasoning}), {@link
 * GeminiResponseMapper}, {@link GeminiStreamDecoder}, {@link GeminiErrors}; the profiles are {@link
 * GeminiProfiles}.
 *
 * <p>It also tells the gateway which image and PDF URLs it wants as bytes ({@link
 * NeedsMediaBytes}): Gemini takes those best as inline data.
 */
public final class GeminiAdapter implements ProviderAdapter, NeedsMediaBytes, Embeddings {

  /** The dialect id profiles name. */
  public static final String DIALECT = GeminiProfiles.DIALECT;

  /** An adapter; it holds no state, so one instance can be shared. */
  public GeminiAdapter() {}

  @Override
  public String dialect() {
    return DIALECT;
  }

  /**
   * {@code POST <base>/models/<model>:generateContent}, or {@code :streamGenerateContent?alt=sse}
   * when streaming; the key goes in the profile's header ({@code x-goog-api-key}), omitted when the
   * target has none.
   */
  @Override
  public HttpCall encode(LlmRequest request, Target target) {
    return HttpCall.jsonPost(
        url(target, request.stream()),
        target,
        request.stream(),
        GeminiRequestMapper.body(request, target));
  }

  @Override
  public HttpCall encodeEmbeddings(LlmRequest request, Target target) {
    return GeminiEmbeddings.encode(request, target);
  }

  @Override
  public EmbeddingsReader embeddingsReader(
      LlmRequest request, Target target, VectorFeed.Sink sink) {
    return GeminiEmbeddings.reader(request, target, sink);
  }

  @Override
  public LlmResponse decode(UpstreamResponse response, Target target) {
    return GeminiResponseMapper.map(response, target);
  }

  @Override
  public StreamDecoder newStreamDecoder(Target target) {
    return new GeminiStreamDecoder(target);
  }

  @Override
  public GatewayError classify(UpstreamResponse response, Target target) {
    return GeminiErrors.classify(response, target);
  }

  /**
   * Images and PDFs given by http(s) URL that are not Google-hosted; see {@link GeminiMedia}. Video
   * URLs are left to Gemini.
   */
  @Override
  public List<MediaRef> mediaToInline(LlmRequest request, Target target) {
    return GeminiMedia.toInline(request);
  }

  /** The target's base URL (or the profile's default), the model, and the method. */
  static String url(Target target, boolean stream) {
    return target.baseUrlOrDefault()
        + "/models/"
        + target.upstreamModel()
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }
}
