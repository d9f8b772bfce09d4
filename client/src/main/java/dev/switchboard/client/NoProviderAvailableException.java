package dev.switchboard.client;

/** 503: no provider can serve the request right now (overloaded or unavailable). */
public class NoProviderAvailableException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  NoProviderAvailableException(ErrorInfo info) {
    super(info);
  }

  NoProviderAvailableException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
