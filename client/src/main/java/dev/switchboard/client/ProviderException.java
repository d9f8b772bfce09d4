package dev.switchboard.client;

/**
 * 502: the upstream provider failed or answered something invalid; see {@link #providerName()} and
 * {@link #raw()}.
 */
public class ProviderException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  ProviderException(ErrorInfo info) {
    super(info);
  }

  ProviderException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
