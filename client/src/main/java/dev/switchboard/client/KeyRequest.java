package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The body of {@code POST /keys} (create) or {@code PATCH /keys/{hash}} (update). Only the fields
 * set are sent, so an update changes exactly those; {@link #noLimit()} sends {@code "limit":null}
 * to remove a limit. Not thread-safe.
 */
public final class KeyRequest {

  private final ObjectNode node = ApiJson.object();

  private KeyRequest() {}

  /** A new key named {@code name}. */
  public static KeyRequest create(String name) {
    return new KeyRequest().name(name);
  }

  /** An update; set the fields to change. */
  public static KeyRequest update() {
    return new KeyRequest();
  }

  public KeyRequest name(String name) {
    node.put("name", Checks.requireText(name, "key name"));
    return this;
  }

  /** A spending limit in USD. */
  public KeyRequest limit(BigDecimal usd) {
    node.put("limit", usd);
    return this;
  }

  /** No spending limit. */
  public KeyRequest noLimit() {
    node.putNull("limit");
    return this;
  }

  /** When the limit resets: {@code daily}, {@code weekly}, {@code monthly}, or null (never). */
  public KeyRequest limitReset(String reset) {
    if (reset == null) {
      node.putNull("limit_reset");
    } else {
      node.put("limit_reset", reset);
    }
    return this;
  }

  public KeyRequest includeByokInLimit(boolean include) {
    node.put("include_byok_in_limit", include);
    return this;
  }

  /** When the key stops working (UTC). Create only. */
  public KeyRequest expiresAt(Instant at) {
    node.put("expires_at", at.toString());
    return this;
  }

  /** Update only. */
  public KeyRequest disabled(boolean disabled) {
    node.put("disabled", disabled);
    return this;
  }

  /** The JSON body. */
  public JsonNode json() {
    return node.deepCopy();
  }
}
