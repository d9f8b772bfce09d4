package dev.switchboard.server.storage;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;

/** Builds the project's one exception for storage failures and invalid storage input. */
final class StorageErrors {

  private StorageErrors() {}

  /** A database failure: {@link FailureClass#INTERNAL}, rendered as a 500. */
  static GatewayException internal(String what, Throwable cause) {
    return new GatewayException(
        GatewayError.of(FailureClass.INTERNAL, "Storage failure: " + what), cause);
  }

  /** The database cannot be reached now: {@link FailureClass#STORAGE_UNAVAILABLE}, a 503. */
  static GatewayException unavailable(String what, Throwable cause) {
    return new GatewayException(
        GatewayError.of(
            FailureClass.STORAGE_UNAVAILABLE,
            "Storage unavailable: " + what + " needs the database, which cannot be reached now"),
        cause);
  }

  /** The store was used after {@code close()}. */
  static GatewayException closed() {
    return new GatewayException(GatewayError.of(FailureClass.INTERNAL, "Storage is closed"));
  }

  /** Invalid input from a caller: {@link FailureClass#INVALID_REQUEST}, rendered as a 400. */
  static GatewayException invalid(String message) {
    return GatewayException.invalid(message);
  }

  /** The innermost cause's message: what the database or the network actually said. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
