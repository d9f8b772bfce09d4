package dev.switchboard.client;

/** 404: an unknown resource, or no endpoint satisfies the routing constraints. */
public class NotFoundException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  NotFoundException(ErrorInfo info) {
    super(info);
  }

  NotFoundException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
