package dev.switchboard.client;

/** 500 and other 5xx statuses without a more specific type. */
public class ServerException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  ServerException(ErrorInfo info) {
    super(info);
  }

  ServerException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
