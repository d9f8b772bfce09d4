package dev.switchboard.server.pipeline;

/**
 * Sees every exchange open and finish: metrics and traces plug in here. Both calls run on the
 * request's event loop and must not block; {@link #finished} runs once, after the answer or error
 * was handed to the client (settled and encoded), whatever the ending.
 */
public interface Observer {

  /** Observes nothing. */
  Observer NONE =
      new Observer() {
        @Override
        public void opened(Exchange ex) {}

        @Override
        public void finished(Exchange ex) {}
      };

  /** A request has arrived (its body may not be read yet). */
  void opened(Exchange ex);

  /** A streamed answer has started ({@link Exchange#streamOpened()} is true from here on). */
  default void streamStarted(Exchange ex) {}

  /** The request has ended: {@link Exchange#ending()} and {@link Exchange#bill()} are final. */
  void finished(Exchange ex);
}
