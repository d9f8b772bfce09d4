package dev.switchboard.sse;

/**
 * Thrown by {@link SseReader} when a stream cannot be read safely, for example when one event grows
 * past the reader's maximum size. After this exception the reader refuses further input.
 */
public final class SseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SseException(String message) {
    super(message);
  }
}
