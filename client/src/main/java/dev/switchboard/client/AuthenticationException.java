package dev.switchboard.client;

/** 401: the key is missing, unknown, disabled or expired. */
public class AuthenticationException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  AuthenticationException(ErrorInfo info) {
    super(info);
  }

  AuthenticationException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
