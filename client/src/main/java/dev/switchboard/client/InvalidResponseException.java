package dev.switchboard.client;

/**
 * An answer this SDK cannot read: a body that is not the expected JSON, or a structured output that
 * does not fit the requested type.
 */
public class InvalidResponseException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  InvalidResponseException(ErrorInfo info) {
    super(info);
  }

  InvalidResponseException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
