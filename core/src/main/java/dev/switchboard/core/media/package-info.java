/**
 * Media given by URL, for upstreams that need the bytes: {@link dev.switchboard.core.media.DataUrl}
 * reads and writes {@code data:} URLs, {@link dev.switchboard.core.media.MediaFetcher} fetches an
 * http(s) URL with a size limit, a time-out, content-type checks and refusal of private, link-local
 * and loopback addresses ({@link dev.switchboard.core.media.AddressPolicy}); {@link
 * dev.switchboard.core.media.MediaLoader} runs fetches on its own bounded pool within a
 * process-wide {@link dev.switchboard.core.media.MediaBudget}, each request drawing on it through a
 * {@link dev.switchboard.core.media.MediaQuota}; {@link dev.switchboard.core.media.MediaInliner}
 * rewrites a request so fetched media travel as {@code data:} URLs, and {@link
 * dev.switchboard.core.media.SplicedBody} writes an upstream body with the bytes spliced in as
 * base64 piece by piece. Adapters say which URLs they need through {@link
 * dev.switchboard.core.provider.NeedsMediaBytes}. Plain Java: no Vert.x; the fetcher blocks, so it
 * runs on the loader's threads.
 */
package dev.switchboard.core.media;
