package dev.switchboard.core.model;

import java.util.List;

/**
 * What an OpenRouter request asks of the gateway itself rather than of the model: read when the
 * request is decoded, acted on by the gateway's plugin stages, never sent upstream.
 *
 * @param transforms the 2025 {@code transforms} list ({@code ["middle-out"]} turns context
 *     compression on, {@code []} off), or null when the request has none
 * @param echoUpstreamBody {@code debug.echo_upstream_body}: a streamed answer's first chunk shows
 *     the body sent upstream
 * @param preset the {@code preset} field: a saved preset's slug, or null
 * @param compressUpToContext set by the context-compression plugin: endpoints whose context is at
 *     most this many tokens get the prompt compressed to fit, so routing keeps them even when the
 *     whole prompt is longer than their context (0: compression off, {@link Long#MAX_VALUE}: on for
 *     every endpoint)
 */
public record Directives(
    List<String> transforms, boolean echoUpstreamBody, String preset, long compressUpToContext) {

  public static final Directives NONE = new Directives(null, false, null, 0);

  public Directives {
    transforms = transforms == null ? null : List.copyOf(transforms);
  }

  public Directives(List<String> transforms, boolean echoUpstreamBody, String preset) {
    this(transforms, echoUpstreamBody, preset, 0);
  }

  public Directives withPreset(String newPreset) {
    return new Directives(transforms, echoUpstreamBody, newPreset, compressUpToContext);
  }

  public Directives withCompressUpToContext(long tokens) {
    return new Directives(transforms, echoUpstreamBody, preset, tokens);
  }
}
