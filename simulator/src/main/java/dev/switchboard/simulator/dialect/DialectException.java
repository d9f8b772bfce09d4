package dev.switchboard.simulator.dialect;

/**
 * A request the dialect rejects, with what its error body needs: HTTP status, message, the
 * offending parameter and an error code (both may be null).
 */
public final class DialectException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String param;
  private final String code;

  public DialectException(int status, String message, String param, String code) {
    super(message);
    this.status = status;
    this.param = param;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }
}
