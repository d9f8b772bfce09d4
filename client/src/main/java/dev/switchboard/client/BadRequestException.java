package dev.switchboard.client;

/**
 * 400 (also 413, 422): the request is invalid: a bad field, an unknown model, a context too long.
 */
public class BadRequestException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  BadRequestException(ErrorInfo info) {
    super(info);
  }

  BadRequestException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
