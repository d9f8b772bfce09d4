package dev.switchboard.server.storage;

/**
 * What a key may do. Inference keys call the model endpoints; management keys call {@code /keys},
 * {@code /credits} and {@code /activity} and cannot call completion endpoints (reference §1.2).
 */
public enum KeyKind {
  INFERENCE,
  MANAGEMENT
}
