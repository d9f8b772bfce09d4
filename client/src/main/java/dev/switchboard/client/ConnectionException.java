package dev.switchboard.client;

/** No HTTP answer: the connection was refused, reset or closed early (status 0). */
public class ConnectionException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  ConnectionException(ErrorInfo info) {
    super(info);
  }

  ConnectionException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
