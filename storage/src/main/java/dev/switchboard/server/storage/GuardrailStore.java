package dev.switchboard.server.storage;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Guardrails and their key assignments. Every guardrail is held in memory, so {@link #forKey} (the
 * request path) never blocks; changes are written through before they return.
 */
public interface GuardrailStore {

  /** Every guardrail, oldest first. Never blocks. */
  List<Guardrail> list();

  /** Never blocks. */
  Optional<Guardrail> find(String id);

  /** The guardrails assigned to a key. Never blocks. */
  List<Guardrail> forKey(String keyHash);

  /** The keys a guardrail is assigned to. Never blocks. */
  Set<String> keys(String id);

  /** Stores a new guardrail, or replaces the one with the same id. Blocking. */
  Guardrail put(Guardrail guardrail);

  /** Deletes a guardrail and its assignments; false when none existed. Blocking. */
  boolean delete(String id);

  /** Assigns the guardrail to keys; returns how many assignments are new. Blocking. */
  int assign(String id, Collection<String> keyHashes);

  /** Removes assignments; returns how many existed. Blocking. */
  int unassign(String id, Collection<String> keyHashes);
}
