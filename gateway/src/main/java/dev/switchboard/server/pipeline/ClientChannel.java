package dev.switchboard.server.pipeline;

import java.util.Map;

/**
 * The client's side of one inference request, as the pipeline writes it: one complete answer, or
 * the head of an event stream followed by batched writes. The http package implements it over
 * Vert.x's response, with back-pressure; the stages never see a socket.
 */
public interface ClientChannel {

  /** Whether the response has ended or the client has gone. */
  boolean closed();

  /** Runs once if the client goes away before the response ended. */
  void onClose(Runnable onClose);

  /** Whether a head (status and headers) has been sent. */
  boolean headWritten();

  /**
   * A complete answer: status, headers (lower-case names, content type included) and body. The body
   * may be sent as it is, without a copy: it must not change afterwards.
   */
  void respond(int status, Map<String, String> headers, byte[] body);

  /** The 200 head of a stream; what follows goes out with {@link #append} and {@link #flush}. */
  void startStream(Map<String, String> headers);

  /**
   * Queues bytes of a stream; nothing goes out before {@link #flush} or {@link #end}. The array may
   * be sent as it is, without a copy: it must not change afterwards.
   */
  void append(byte[] bytes);

  /**
   * Queues {@code bytes[0, length)} of a stream, as {@link #append(byte[])} does: the array may be
   * sent as it is, without a copy, and must not change afterwards.
   */
  void append(byte[] bytes, int length);

  /**
   * Sends what is queued in one write. False when the client's socket is then full: {@code onDrain}
   * runs once when it has room again (the caller pauses its source meanwhile).
   */
  boolean flush(Runnable onDrain);

  /** Sends what is queued and ends the stream. */
  void end();

  /**
   * Sends what is queued and ends the stream with these HTTP trailers (lower-case names), where the
   * protocol carries them; without trailer support, as {@link #end()}.
   */
  default void end(Map<String, String> trailers) {
    end();
  }

  /**
   * Breaks off a response whose head went out (the connection is reset or closed), so that the
   * client sees a cut answer rather than a complete-looking one; what is queued is dropped.
   */
  void abort();
}
