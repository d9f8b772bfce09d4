package dev.switchboard.client;

/** 408 from the server, or no answer within the client's time-out (status 0). */
public class RequestTimeoutException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  RequestTimeoutException(ErrorInfo info) {
    super(info);
  }

  RequestTimeoutException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
