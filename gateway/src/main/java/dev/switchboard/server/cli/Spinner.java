package dev.switchboard.server.cli;

import java.io.PrintWriter;

/**
 * A spinner on standard error while waiting (for the first token of a chat, for instance), redrawn
 * in place every 80 ms and erased by {@link #stop()}. Only for a terminal: the caller decides.
 */
final class Spinner implements AutoCloseable {

  private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

  private final PrintWriter err;
  private final Thread thread;
  private volatile String label;
  private volatile boolean running = true;

  private Spinner(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
    this.thread = Thread.ofPlatform().daemon().name("switchboard-spinner").unstarted(this::spin);
  }

  /** Starts a spinner showing {@code label}; the first frame is drawn at once. */
  static Spinner start(PrintWriter err, String label) {
    Spinner s = new Spinner(err, label);
    s.draw(0);
    s.thread.start();
    return s;
  }

  /** Changes what the spinner says (e.g. from waiting to reasoning). */
  void label(String text) {
    this.label = text;
  }

  private void spin() {
    int frame = 1;
    while (running) {
      try {
        Thread.sleep(80);
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        draw(frame++);
      }
    }
  }

  private void draw(int frame) {
    synchronized (err) {
      err.print("\r" + FRAMES.charAt(frame % FRAMES.length()) + " " + label + "\u001b[K");
      err.flush();
    }
  }

  /** Stops and erases the spinner; safe to call twice. */
  void stop() {
    if (!running) {
      return;
    }
    running = false;
    thread.interrupt();
    try {
      thread.join(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (err) {
      err.print("\r\u001b[K");
      err.flush();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
