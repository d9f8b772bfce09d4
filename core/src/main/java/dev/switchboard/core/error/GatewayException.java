package dev.switchboard.core.error;

/** The project's one unchecked exception; it carries a classified {@link GatewayError}. */
public final class GatewayException extends RuntimeException {

  private final transient GatewayError error;

  public GatewayException(GatewayError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public GatewayException(GatewayError error, Throwable cause) {
    super(error.message(), cause, false, false);
    this.error = error;
  }

  public static GatewayException invalid(String message) {
    return new GatewayException(GatewayError.of(FailureClass.INVALID_REQUEST, message));
  }

  public GatewayError error() {
    return error;
  }
}
