package dev.switchboard.core.provider;

import dev.switchboard.core.media.MediaRef;
import dev.switchboard.core.model.LlmRequest;
import java.util.List;

/**
 * Optional capability of a {@link ProviderAdapter} whose upstream needs the bytes of some media the
 * caller gave by http(s) URL (Gemini takes images and PDFs as inline data). Adapters stay pure: the
 * adapter only says which URLs it needs. The gateway fetches them (on its media pool, each URL once
 * per request, within the request's {@link dev.switchboard.core.media.MediaQuota}) and calls {@link
 * ProviderAdapter#encode} with the request rewritten by {@link
 * dev.switchboard.core.media.MediaInliner}, in which each of those URLs is a {@code data:} URL
 * whose base64 payload is a {@linkplain dev.switchboard.core.media.SplicedBody placeholder}; the
 * placeholder is replaced by the real base64 while the body is sent.
 *
 * <p>So an adapter must copy a data URL's base64 payload into its body verbatim (as it would any
 * base64), not decode it or derive anything from the bytes.
 */
public interface NeedsMediaBytes {

  /**
   * The media URLs of {@code request} this adapter wants as {@code data:} URLs on {@code target},
   * each once, in order of appearance; empty when it needs none.
   */
  List<MediaRef> mediaToInline(LlmRequest request, Target target);
}
