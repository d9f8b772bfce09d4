package dev.switchboard.server.cli;

import java.io.PrintWriter;

/**
 * Progress of long work ({@code fetching endpoints 12/60}) on standard error, rewritten in place on
 * a terminal at most ten times a second; nothing when standard error is not a terminal, so scripts
 * and logs get only the result.
 */
final class Progress {

  private final PrintWriter err;
  private final boolean enabled;
  private final String what;
  private final int total;
  private long lastDrawNanos;
  private boolean drawn;

  Progress(PrintWriter err, boolean enabled, String what, int total) {
    this.err = err;
    this.enabled = enabled;
    this.what = what;
    this.total = total;
  }

  /** Reports that {@code done} of the total are done. */
  void update(int done) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (drawn && done < total && now - lastDrawNanos < 100_000_000L) {
      return;
    }
    lastDrawNanos = now;
    drawn = true;
    err.print("\r" + what + " " + done + "/" + total + "\u001b[K");
    err.flush();
  }

  /** Erases the progress line. */
  void done() {
    if (enabled && drawn) {
      err.print("\r\u001b[K");
      err.flush();
    }
  }
}
