package dev.switchboard.server.cli;

/**
 * A failure a CLI command reports as one line on standard error ({@code switchboard: message}) and
 * an exit code: 1 when the gateway refused or failed, 2 when the command line itself is wrong.
 */
public final class CliException extends RuntimeException {

  private final int exitCode;
  private final boolean missingEndpoint;

  CliException(String message) {
    this(message, 1);
  }

  CliException(String message, int exitCode) {
    this(message, exitCode, false);
  }

  private CliException(String message, int exitCode, boolean missingEndpoint) {
    super(message);
    this.exitCode = exitCode;
    this.missingEndpoint = missingEndpoint;
  }

  /** The gateway has no route for the call: an older build, or a feature not merged in. */
  static CliException missingEndpoint(String message) {
    return new CliException(message, 1, true);
  }

  boolean missingEndpoint() {
    return missingEndpoint;
  }

  public int exitCode() {
    return exitCode;
  }
}
