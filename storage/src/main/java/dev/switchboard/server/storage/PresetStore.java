package dev.switchboard.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Saved presets and their versions. Every version is held in memory, so the request path reads them
 * without I/O; a new version is written through before it returns.
 */
public interface PresetStore {

  /** The newest version of every preset, by slug. Never blocks. */
  List<Preset> list();

  /** The newest version of {@code slug}. Never blocks. */
  Optional<Preset> latest(String slug);

  /** Every version of {@code slug}, oldest first (empty when unknown). Never blocks. */
  List<Preset> versions(String slug);

  /** One version. Never blocks. */
  Optional<Preset> version(String slug, int version);

  /** Stores the next version of {@code slug} (1 when new). Blocking. */
  Preset add(String slug, String name, String description, JsonNode config);
}
