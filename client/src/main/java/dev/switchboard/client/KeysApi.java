package dev.switchboard.client;

import dev.switchboard.api.json.ApiJson;
import dev.switchboard.api.keys.CreatedKey;
import dev.switchboard.api.keys.KeyData;
import dev.switchboard.api.keys.KeyInfo;
import java.util.List;

/**
 * Keys: {@link #current()} works with any key; the rest is key management and needs a management
 * key (build a second client with it). Keys are addressed by their hash (SHA-256 hex).
 */
public final class KeysApi {

  private final Requester requester;

  KeysApi(Requester requester) {
    this.requester = requester;
  }

  /** {@code GET /key}: the calling key's limit, remaining limit and usage. */
  public KeyInfo current() {
    return Requester.data(requester.call("GET", "/key", null), KeyInfo.class);
  }

  /** {@code GET /keys}: the first page of keys (100), disabled ones left out. */
  public List<KeyData> list() {
    return list(0, false);
  }

  /** {@code GET /keys?offset=&include_disabled=}. */
  public List<KeyData> list(int offset, boolean includeDisabled) {
    Checks.requireArgument(offset >= 0, "offset must not be negative, was %s", offset);
    return Requester.data(
        requester.call(
            "GET", "/keys?offset=" + offset + "&include_disabled=" + includeDisabled, null),
        SwitchboardClient.listOf(KeyData.class));
  }

  /**
   * {@code POST /keys}: the new key; its plaintext ({@link CreatedKey#key()}) is shown only here.
   */
  public CreatedKey create(KeyRequest request) {
    return Requester.body(
        requester.call("POST", "/keys", ApiJson.bytes(request.json())), CreatedKey.class);
  }

  /** A new key named {@code name}, without a limit. */
  public CreatedKey create(String name) {
    return create(KeyRequest.create(name));
  }

  /** {@code GET /keys/{hash}}. */
  public KeyData get(String hash) {
    return Requester.data(
        requester.call("GET", "/keys/" + Paths.segment(Checks.requireText(hash, "hash")), null),
        KeyData.class);
  }

  /** {@code PATCH /keys/{hash}}: changes the fields the request sets. */
  public KeyData update(String hash, KeyRequest request) {
    return Requester.data(
        requester.call(
            "PATCH",
            "/keys/" + Paths.segment(Checks.requireText(hash, "hash")),
            ApiJson.bytes(request.json())),
        KeyData.class);
  }

  /** {@code DELETE /keys/{hash}}; true when the server confirmed the deletion. */
  public boolean delete(String hash) {
    return Requester.tree(
            requester.call(
                "DELETE", "/keys/" + Paths.segment(Checks.requireText(hash, "hash")), null))
        .path("deleted")
        .asBoolean(false);
  }
}
