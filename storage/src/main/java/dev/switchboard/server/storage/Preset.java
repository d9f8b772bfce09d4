package dev.switchboard.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One version of a saved preset: request fields (model or models, provider preferences, sampling
 * parameters, reasoning, plugins, tools, a system prompt) that a request applies with {@code
 * "preset":"<slug>"} or {@code @preset/<slug>}. Versions of a slug count up from 1 and are never
 * changed; the newest is the one requests apply. {@code id} is {@code <slug>@<version>}.
 */
public record Preset(
    String slug, int version, String name, String description, JsonNode config, Instant createdAt) {

  public String id() {
    return slug + "@" + version;
  }
}
