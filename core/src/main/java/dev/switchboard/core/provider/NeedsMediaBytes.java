package dev.switchboard.core.provider;

import dev.switchboard.core.media.MediaRef;
import dev.switchboard.core.model.LlmRequest;
import java.util.List;

/**
 * Optional capability of a {@link ProviderAdapter} whose upstream needs the bytes of some media the
 * caller gave by http(s) URL (Gemini takes images and PDFs as inline data). Adapters stay pure: the
 * adapter only says which URLs it needs, and the gateway, before {@link ProviderAdapter#encode},
 * fetches them on a worker thread with {@link dev.switchboard.core.media.MediaFetcher#inline} and
 * encodes the rewritten request, in which they are {@code data:} URLs.
 *
 * <pre>{@code
 * if (adapter instanceof NeedsMediaBytes needs) {
 *   List<MediaRef> refs = needs.mediaToInline(request, target);
 *   if (!refs.isEmpty()) {
 *     request = mediaFetcher.inline(request, refs); // blocking: worker thread
 *   }
 * }
 * HttpCall call = adapter.encode(request, target);
 * }</pre>
 */
public interface NeedsMediaBytes {

  /**
   * The media URLs of {@code request} this adapter wants as {@code data:} URLs on {@code target},
   * each once, in order of appearance; empty when it needs none.
   */
  List<MediaRef> mediaToInline(LlmRequest request, Target target);
}
